import { describe, expect, it } from '@jest/globals';

import { TimedServiceOptions } from '../../../lib/services/timed-service.options';
import { deferred, flush } from '../../helpers/deferred';
import { harness } from './timed.fixtures';

const schedules = ['fixedDelay', 'fixedRate'] as const;

describe('TimedBackgroundService: run on start', () => {
  it.each(schedules)('%s: runs once at start by default, before any time passes', async (schedule) => {
    const h = harness({ period: 1_000, schedule });
    await h.start();
    expect(h.probe.starts).toEqual([0]);

    await h.clock.advance(999);
    expect(h.probe.starts).toEqual([0]);
    await h.clock.advance(1);
    expect(h.probe.starts).toEqual([0, 1_000]);
    await h.stop();
  });

  it.each(schedules)('%s: with runOnStart false, the first run comes one period after start', async (schedule) => {
    const h = harness({ period: 1_000, schedule, runOnStart: false });
    await h.start();
    await h.clock.advance(999);
    expect(h.probe.starts).toEqual([]);
    await h.clock.advance(1);
    expect(h.probe.starts).toEqual([1_000]);
    await h.clock.advance(1_000);
    expect(h.probe.starts).toEqual([1_000, 2_000]);
    await h.stop();
  });
});

describe('TimedBackgroundService: fixedDelay (the default)', () => {
  it('starts the next run one period after the previous run ended, however long it took', async () => {
    const slow = deferred();
    const h = harness({ period: 1_000 }, (run) => (run.run === 1 ? slow.promise : undefined));
    await h.start();
    expect(h.probe.starts).toEqual([0]);

    await h.clock.advance(2_500); // two and a half periods: nothing may start meanwhile
    expect(h.probe.starts).toEqual([0]);
    slow.resolve();
    await flush();
    expect(h.probe.ends).toEqual([2_500]);

    await h.clock.advance(999);
    expect(h.probe.starts).toEqual([0]);
    await h.clock.advance(1);
    expect(h.probe.starts).toEqual([0, 3_500]);
    await h.clock.advance(1_000);
    expect(h.probe.starts).toEqual([0, 3_500, 4_500]);
    // No tick fell due during the slow run: fixedDelay has no missed ticks.
    expect(h.probe.missed).toEqual([0, 0, 0]);
    await h.stop();
  });

  it("drifts by design: each run is a period plus the previous run's duration after the one before", async () => {
    const h = harness({ period: 1_000 }, (run, probe) => probe.clock.delay(300, run.signal));
    await h.start();
    await h.clock.advance(5 * 1_300);
    expect(h.probe.starts).toEqual([0, 1_300, 2_600, 3_900, 5_200, 6_500]);
    await h.stop();
  });
});

describe('TimedBackgroundService: fixedRate', () => {
  it('keeps 100 runs of varying length on the start + k·period grid, with no drift', async () => {
    // Run k takes between 0 and 990 ms: always less than a period, never the same twice in a row.
    const h = harness({ period: 1_000, schedule: 'fixedRate' }, (run, probe) =>
      probe.clock.delay((run.run * 370) % 991, run.signal),
    );
    await h.start();
    await h.clock.advance(99 * 1_000);

    expect(h.probe.starts).toEqual(Array.from({ length: 100 }, (_, k) => k * 1_000));
    expect(h.probe.missed.every((m) => m === 0)).toBe(true);
    await h.stop();
  });

  it('anchors the grid at start: a run on start that overruns makes the ticks it covered missed ticks', async () => {
    // The run on start is grid point 0; it takes 2.5 periods, so ticks 1 and 2 fall due during it.
    const h = harness({ period: 1_000, schedule: 'fixedRate' }, (run, probe) =>
      run.run === 1 ? probe.clock.delay(2_500, run.signal) : undefined,
    );
    await h.start();
    await h.clock.advance(4_000);

    expect(h.probe.starts).toEqual([0, 2_500, 3_000, 4_000]);
    expect(h.probe.missed).toEqual([0, 1, 0, 0]);
    await h.stop();
  });
});

describe('TimedBackgroundService: runs never overlap', () => {
  const cases: Array<[string, TimedServiceOptions]> = [
    ['fixedDelay', { period: 1_000 }],
    ['fixedRate, runOnce', { period: 1_000, schedule: 'fixedRate', missedTicks: 'runOnce' }],
    ['fixedRate, skip', { period: 1_000, schedule: 'fixedRate', missedTicks: 'skip' }],
    ['fixedRate, catchUp', { period: 1_000, schedule: 'fixedRate', missedTicks: 'catchUp', maxCatchUp: 5 }],
  ];

  it.each(cases)(
    '%s: a doWork 2.5× slower than the period never runs concurrently with itself',
    async (_name, options) => {
      const h = harness(options, (run, probe) => probe.clock.delay(2_500, run.signal));
      await h.start();
      await h.clock.advance(30_000);

      expect(h.probe.runs.length).toBeGreaterThanOrEqual(8);
      expect(h.probe.maxActive).toBe(1);
      // Each run starts no earlier than the previous one ended.
      for (let i = 1; i < h.probe.starts.length; i++)
        expect(h.probe.starts[i]).toBeGreaterThanOrEqual(h.probe.ends[i - 1]);
      await h.stop();
    },
  );
});

describe('TimedBackgroundService: runCount and what a run receives', () => {
  it('counts runs as they start, numbers them 1, 2, 3…, and gives no scope without scopePerRun', async () => {
    const gate = deferred();
    const h = harness({ period: 1_000 }, (run) => (run.run === 2 ? gate.promise : undefined));
    expect(h.probe.runCount).toBe(0);
    await h.start();
    expect(h.probe.runCount).toBe(1);

    await h.clock.advance(1_000);
    expect(h.probe.runCount).toBe(2); // run 2 is in flight: started runs are counted
    expect(h.probe.active).toBe(1);
    gate.resolve();
    await h.clock.advance(2_000);

    expect(h.probe.runCount).toBe(4);
    expect(h.probe.runs.map((r) => r.run)).toEqual([1, 2, 3, 4]);
    expect(h.probe.runs.every((r) => r.scope === undefined)).toBe(true);
    expect(new Set(h.probe.runs.map((r) => r.signal)).size).toBe(4); // a signal of its own per run
    await h.stop();
    expect(h.probe.runCount).toBe(4);
  });
});
