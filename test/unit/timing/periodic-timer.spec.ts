import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { TimerHandle } from '../../../lib/clock/clock';
import { FakeClock } from '../../../lib/clock/fake-clock';
import { PeriodicTimer } from '../../../lib/timing/periodic-timer';
import { track } from './track';

describe('PeriodicTimer ticks', () => {
  it('delivers the first tick one period after construction', async () => {
    const clock = new FakeClock(1_000);
    const timer = new PeriodicTimer(100, { clock });
    expect(timer.lastTickDueTime).toBeUndefined();
    const tick = track(timer.waitForNextTick(), clock);

    await clock.advance(99);
    expect(tick.settled).toBe(false);
    expect(clock.pendingTimers).toBe(1);

    await clock.advance(1);
    expect(tick).toMatchObject({ settled: true, value: true, at: 1_100 });
    expect(timer.missedTicks).toBe(0);
    expect(timer.lastTickDueTime).toBe(1_100);
    expect(timer.period).toBe(100);
    timer.stop();
  });

  it('does not drift over 500 periods when the consumer is late every time', async () => {
    const clock = new FakeClock();
    const period = 1_000;
    const timer = new PeriodicTimer(period, { clock });
    const tickTimes: number[] = [];
    const loop = (async () => {
      for (let i = 1; i <= 500; i++) {
        expect(await timer.waitForNextTick()).toBe(true);
        expect(timer.missedTicks).toBe(0);
        tickTimes.push(clock.now());
        // Late by 1..999 ms: a timer that re-armed "period from now" would drift by this much.
        if (i < 500) await clock.delay(1 + ((i * 37) % (period - 1)));
      }
    })();

    await clock.advance(500 * period);
    await loop;
    expect(tickTimes).toEqual(Array.from({ length: 500 }, (_, i) => (i + 1) * period));
    timer.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('coalesces missed ticks into exactly one immediate tick and reports how many were missed', async () => {
    const clock = new FakeClock();
    const timer = new PeriodicTimer(100, { clock });
    await clock.advance(350); // grid points 100, 200 and 300 pass with nobody waiting

    const first = track(timer.waitForNextTick(), clock);
    await clock.runDue();
    expect(first).toMatchObject({ settled: true, value: true, at: 350 });
    expect(timer.missedTicks).toBe(2);
    expect(timer.lastTickDueTime).toBe(300);

    // Once only: the next wait is for the next grid point, 400, not another immediate tick.
    const second = track(timer.waitForNextTick(), clock);
    await clock.advance(49);
    expect(second.settled).toBe(false);
    await clock.advance(1);
    expect(second).toMatchObject({ settled: true, value: true, at: 400 });
    expect(timer.missedTicks).toBe(0);
    timer.stop();
  });

  it('never gives a slow consumer overlapping ticks, and keeps the original grid after each overrun', async () => {
    const clock = new FakeClock();
    const timer = new PeriodicTimer(100, { clock });
    const seen: Array<{ at: number; missed: number; due: number | undefined }> = [];
    let running = 0;
    let maxRunning = 0;
    const loop = (async () => {
      while (seen.length < 5 && (await timer.waitForNextTick())) {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        seen.push({ at: clock.now(), missed: timer.missedTicks, due: timer.lastTickDueTime });
        await clock.delay(250); // 2.5 periods of work per tick
        running -= 1;
      }
    })();

    await clock.advance(1_500);
    await loop;
    expect(maxRunning).toBe(1);
    expect(seen).toEqual([
      { at: 100, missed: 0, due: 100 },
      { at: 350, missed: 1, due: 300 },
      { at: 600, missed: 2, due: 600 },
      { at: 850, missed: 1, due: 800 },
      { at: 1_100, missed: 2, due: 1_100 },
    ]);
    timer.stop();
  });

  it('accounts for every grid point exactly once, whatever the consumer does (model check)', async () => {
    const period = 10;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 45 }), { minLength: 1, maxLength: 25 }), async (work) => {
        const clock = new FakeClock();
        const timer = new PeriodicTimer(period, { clock });
        let lastDue = 0;
        const loop = (async () => {
          for (const ms of work) {
            const calledAt = clock.now();
            expect(await timer.waitForNextTick()).toBe(true);
            const due = timer.lastTickDueTime ?? Number.NaN;
            // Delivered at the first grid point after the last one consumed, or at once if it passed.
            expect(clock.now()).toBe(Math.max(calledAt, lastDue + period));
            expect(due % period).toBe(0);
            expect(due).toBe(Math.floor(clock.now() / period) * period);
            expect(timer.missedTicks).toBe((due - lastDue) / period - 1);
            lastDue = due;
            await clock.delay(ms);
          }
        })();
        await clock.advance(work.reduce((sum, ms) => sum + ms, 0) + (work.length + 1) * period);
        await loop;
        timer.stop();
        expect(clock.pendingTimers).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it('does not tick early when the clock fires its timer early (as Node may, by under 1 ms)', async () => {
    // Like Node: delays under 1 ms become 1 ms, and a timer may fire up to 1 ms before its time.
    class EarlyClock extends FakeClock {
      override setTimer(callback: () => void, ms: number): TimerHandle {
        return super.setTimer(callback, Math.max(1, ms) - 0.5);
      }
    }
    const clock = new EarlyClock();
    const timer = new PeriodicTimer(100, { clock });
    const tick = track(timer.waitForNextTick(), clock);
    await clock.advance(99.5);
    expect(tick.settled).toBe(false);
    expect(clock.pendingTimers).toBe(1); // re-armed for the remaining half millisecond
    await clock.advance(0.5);
    expect(tick).toMatchObject({ settled: true, value: true, at: 100 });
    timer.stop();
  });
});
