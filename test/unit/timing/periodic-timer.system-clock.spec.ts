import { describe, expect, it } from '@jest/globals';
import { PeriodicTimer } from '../../../lib/timing/periodic-timer';

// The one real-time check: proves the default SystemClock wiring. Short (about 15 ms), and it
// asserts only lower bounds, which real timers cannot miss however loaded the machine is.
describe('PeriodicTimer on the real clock', () => {
  it('ticks on the default SystemClock, never before a grid point, and stops cleanly', async () => {
    const before = performance.now();
    const timer = new PeriodicTimer(5);
    const dues: number[] = [];
    for (let i = 0; i < 3; i++) {
      expect(await timer.waitForNextTick()).toBe(true);
      const due = timer.lastTickDueTime ?? Number.NaN;
      expect(performance.now()).toBeGreaterThanOrEqual(due);
      dues.push(due);
    }
    timer.stop();

    expect(performance.now() - before).toBeGreaterThanOrEqual(15);
    expect(dues[0] - before).toBeGreaterThanOrEqual(5);
    // A loaded machine may coalesce ticks, but every tick is still on the 5 ms grid.
    for (let i = 1; i < dues.length; i++) {
      const steps = (dues[i] - dues[0]) / 5;
      expect(Math.abs(steps - Math.round(steps))).toBeLessThan(1e-6);
      expect(dues[i]).toBeGreaterThan(dues[i - 1]);
    }
    await expect(timer.waitForNextTick()).resolves.toBe(false);
  });

  it('ends a real wait on abort without waiting for the tick', async () => {
    const timer = new PeriodicTimer(60_000);
    const controller = new AbortController();
    const wait = timer.waitForNextTick(controller.signal);
    controller.abort();
    await expect(wait).resolves.toBe(false);
    timer.stop();
  });
});
