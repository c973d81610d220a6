import { describe, expect, it } from '@jest/globals';

import { TimedServiceOptions } from '../../../lib/services/timed-service.options';
import { Body, harness } from './timed.fixtures';

// The common scenario: period 1 s, no run on start. Run 1 starts at 1 000 and takes 3.5 s, so the
// ticks due at 2 000, 3 000 and 4 000 fall due while it runs; it ends at 4 500.
const period = 1_000;
const firstRunOverruns =
  (later: number): Body =>
  (run, probe) =>
    probe.clock.delay(run.run === 1 ? 3_500 : later, run.signal);

async function scenario(options: Partial<TimedServiceOptions>, laterRunsTake = 0): Promise<ReturnType<typeof harness>> {
  const h = harness({ period, schedule: 'fixedRate', runOnStart: false, ...options }, firstRunOverruns(laterRunsTake));
  await h.start();
  await h.clock.advance(6_000);
  return h;
}

describe("TimedBackgroundService: missedTicks 'runOnce' (the default)", () => {
  it('coalesces the ticks that fell due during a run into one run at once, reporting how many it stands for', async () => {
    const h = await scenario({});
    expect(h.probe.starts).toEqual([1_000, 4_500, 5_000, 6_000]);
    // The run at 4 500 stands for the ticks of 2 000 and 3 000 and 4 000: itself plus 2 missed.
    expect(h.probe.missed).toEqual([0, 2, 0, 0]);
    expect(h.probe.maxActive).toBe(1);
    await h.stop();
  });
});

describe("TimedBackgroundService: missedTicks 'skip'", () => {
  it('drops the ticks that fell due during a run and waits for the next grid point', async () => {
    const h = await scenario({ missedTicks: 'skip' });
    expect(h.probe.starts).toEqual([1_000, 5_000, 6_000]);
    expect(h.probe.missed).toEqual([0, 0, 0]);
    await h.stop();
  });

  it('also drops the ticks that fell due during an overrunning run on start', async () => {
    const h = harness({ period, schedule: 'fixedRate', missedTicks: 'skip' }, (run, probe) =>
      run.run === 1 ? probe.clock.delay(2_500, run.signal) : undefined,
    );
    await h.start();
    await h.clock.advance(4_000);
    expect(h.probe.starts).toEqual([0, 3_000, 4_000]);
    await h.stop();
  });

  it('keeps a tick that is on time', async () => {
    const h = harness({ period, schedule: 'fixedRate', missedTicks: 'skip' }, (run, probe) =>
      probe.clock.delay(999, run.signal),
    );
    await h.start();
    await h.clock.advance(5_000);
    expect(h.probe.starts).toEqual([0, 1_000, 2_000, 3_000, 4_000, 5_000]);
    await h.stop();
  });
});

describe("TimedBackgroundService: missedTicks 'catchUp'", () => {
  it('replays every tick that fell due, back to back, then returns to the grid', async () => {
    const h = await scenario({ missedTicks: 'catchUp' }, 100);
    // 3 ticks fell due during run 1: replayed as runs 2, 3, 4, each starting as the previous ends.
    expect(h.probe.starts).toEqual([1_000, 4_500, 4_600, 4_700, 5_000, 6_000]);
    expect(h.probe.ends.slice(0, 4)).toEqual([4_500, 4_600, 4_700, 4_800]);
    expect(h.probe.missed).toEqual([0, 2, 0, 0, 0, 0]);
    expect(h.probe.runs.map((r) => r.run)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(h.probe.maxActive).toBe(1);
    await h.stop();
  });

  it('replays at most maxCatchUp runs in a row', async () => {
    const h = await scenario({ missedTicks: 'catchUp', maxCatchUp: 2 });
    expect(h.probe.starts).toEqual([1_000, 4_500, 4_500, 5_000, 6_000]);
    await h.stop();
  });

  it('with maxCatchUp 1, runs once for all of them', async () => {
    const h = await scenario({ missedTicks: 'catchUp', maxCatchUp: 1 });
    expect(h.probe.starts).toEqual([1_000, 4_500, 5_000, 6_000]);
    await h.stop();
  });

  it('caps a long stall at the default of 10 replays', async () => {
    const h = harness({ period, schedule: 'fixedRate', runOnStart: false, missedTicks: 'catchUp' }, (run, probe) =>
      run.run === 1 ? probe.clock.delay(30_500, run.signal) : undefined,
    );
    await h.start();
    await h.clock.advance(31_500); // run 1: 1 000 → 31 500; 30 ticks fell due meanwhile
    expect(h.probe.starts.filter((t) => t === 31_500)).toHaveLength(10);
    expect(h.probe.missed[1]).toBe(29);
    await h.stop();
  });
});
