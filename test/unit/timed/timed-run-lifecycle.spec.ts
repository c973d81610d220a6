import { describe, expect, it } from '@jest/globals';

import { deferred, flush } from '../../helpers/deferred';
import { captureLogs, harness } from './timed.fixtures';

/** Resolves once `signal` aborts (at once if it has). */
function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

describe('TimedBackgroundService: runTimeout', () => {
  it("aborts the run's signal once runTimeout elapses, and starts the next run only after that run settled", async () => {
    const logs = captureLogs();
    const release = deferred();
    let abortedAt: number | undefined;
    const h = harness({ period: 1_000, schedule: 'fixedRate', runTimeout: 500 }, async (run, probe) => {
      if (run.run !== 1) return;
      await aborted(run.signal);
      abortedAt = probe.clock.now();
      await release.promise; // a run that is slow to honour its signal
    });
    await h.start();

    await h.clock.advance(499);
    expect(h.probe.runs[0].signal.aborted).toBe(false);
    await h.clock.advance(1);
    expect(abortedAt).toBe(500);
    expect(h.probe.runs[0].signal.reason).toEqual(
      expect.objectContaining({ message: expect.stringContaining('runTimeout') }),
    );
    expect(logs).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 'Probe: run #1 exceeded runTimeout (500ms); its signal is aborted',
        context: 'Hosting',
      }),
    ]);

    await h.clock.advance(2_500); // three ticks fall due; the timed-out run is still going
    expect(h.probe.starts).toEqual([0]);
    release.resolve();
    await flush();
    expect(h.probe.ends[0]).toBe(3_000);
    expect(h.probe.starts).toEqual([0, 3_000]); // right after it settled, for the missed ticks
    expect(h.probe.missed[1]).toBe(2);
    expect(h.probe.runs[1].signal.aborted).toBe(false); // a fresh signal, with its own timeout
    // Its abort-caused end is logged as the timeout warning only, not as a failure.
    expect(logs.filter((l) => l.level === 'error')).toEqual([]);
    await h.stop();
  });

  it('leaves no timer behind for runs that finish in time', async () => {
    const h = harness({ period: 1_000, runTimeout: 800 }, (run, probe) => probe.clock.delay(100, run.signal));
    await h.start();
    await h.clock.advance(5_000);
    expect(h.probe.starts).toEqual([0, 1_100, 2_200, 3_300, 4_400]);
    expect(h.probe.runs.every((r) => !r.signal.aborted)).toBe(true);
    // Between runs (the last ended at 4 500), the only timer is the wait for the next one.
    expect(h.clock.pendingTimers).toBe(1);
    await h.stop();
  });
});

describe('TimedBackgroundService: a failing run', () => {
  it('is logged with the service name and its run number, and the schedule goes on', async () => {
    const logs = captureLogs();
    const boom = new Error('boom');
    const h = harness({ period: 1_000 }, (run) => {
      if (run.run === 2) throw boom;
      if (run.run === 3) return Promise.reject(new Error('async boom'));
      if (run.run === 4) throw 'not an error'; // eslint-disable-line @typescript-eslint/only-throw-error
    });
    await h.start();
    await h.clock.advance(5_000);

    expect(h.probe.starts).toEqual([0, 1_000, 2_000, 3_000, 4_000, 5_000]);
    expect(logs.map((l) => [l.level, l.message, l.context])).toEqual([
      ['error', 'Probe: run #2 failed: Error: boom', 'Hosting'],
      ['error', 'Probe: run #3 failed: Error: async boom', 'Hosting'],
      ['error', 'Probe: run #4 failed: non-Error value thrown: not an error', 'Hosting'],
    ]);
    expect(logs[0].stack).toBe(boom.stack);
    // A failed run is not a fault of the service: execute is still going.
    let settled = false;
    void h.probe.executeTask!.then(() => (settled = true));
    await flush();
    expect(settled).toBe(false);
    await h.stop();
  });
});

describe('TimedBackgroundService: stop', () => {
  it("aborts the in-flight run's signal and waits for the run to settle", async () => {
    const logs = captureLogs();
    const cleanup = deferred();
    const h = harness({ period: 1_000 }, async (run) => {
      if (run.run !== 2) return;
      await aborted(run.signal);
      await cleanup.promise;
      throw run.signal.reason; // ends because of the abort: not a failure
    });
    await h.start();
    await h.clock.advance(1_000);
    expect(h.probe.active).toBe(1);

    let stopped = false;
    const stopping = h.stop().then(() => (stopped = true));
    await flush();
    expect(h.probe.runs[1].signal.aborted).toBe(true);
    expect(stopped).toBe(false);
    cleanup.resolve();
    await stopping;
    expect(h.probe.ends).toEqual([0, 1_000]);
    expect(logs).toEqual([]);

    await h.clock.advance(10_000);
    expect(h.probe.runCount).toBe(2); // nothing runs after stop
  });

  it.each(['fixedDelay', 'fixedRate'] as const)(
    '%s: between runs, ends the wait at once, with no run and no timer left',
    async (schedule) => {
      const h = harness({ period: 1_000, schedule });
      await h.start();
      await h.clock.advance(1_500);
      expect(h.clock.pendingTimers).toBe(1);
      await h.stop(); // checks pendingTimers === 0
      await h.clock.advance(10_000);
      expect(h.probe.starts).toEqual([0, 1_000]);
    },
  );

  it('before execute has begun: no run at all, even with runOnStart', async () => {
    const h = harness({ period: 1_000 });
    h.probe.start(new AbortController().signal);
    await h.probe.stop(new AbortController().signal); // same turn: execute begins with an aborted signal
    await expect(h.probe.executeTask).resolves.toBeUndefined();
    await h.clock.advance(5_000);
    expect(h.probe.runCount).toBe(0);
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('returns at the stop signal (the shutdown deadline) even when a run ignores its own', async () => {
    const h = harness({ period: 1_000 }, () => new Promise<void>(() => undefined));
    await h.start();
    const deadline = new AbortController();
    let stopped = false;
    const stopping = h.probe.stop(deadline.signal).then(() => (stopped = true));
    await flush();
    expect(stopped).toBe(false);
    deadline.abort();
    await stopping;
    expect(h.probe.runCount).toBe(1);
  });
});
