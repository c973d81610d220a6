import { describe, expect, it } from '@jest/globals';
import { FakeClock } from '../../../lib/clock/fake-clock';
import { InvalidOptionError } from '../../../lib/errors/invalid-option.error';
import { PeriodicTimer } from '../../../lib/timing/periodic-timer';
import { track } from './track';

describe('PeriodicTimer.changePeriod', () => {
  it('restarts the grid from now with the new period', async () => {
    const clock = new FakeClock();
    const timer = new PeriodicTimer(100, { clock });
    await clock.advance(30);
    timer.changePeriod(50);
    expect(timer.period).toBe(50);

    const ticks: number[] = [];
    for (let i = 0; i < 3; i++) {
      const tick = track(timer.waitForNextTick(), clock);
      await clock.advance(50);
      expect(tick.value).toBe(true);
      ticks.push(tick.at ?? Number.NaN);
    }
    expect(ticks).toEqual([80, 130, 180]);
    timer.stop();
  });

  it('moves a pending wait onto the new schedule, still with one clock timer', async () => {
    const clock = new FakeClock();
    const timer = new PeriodicTimer(1_000, { clock });
    const tick = track(timer.waitForNextTick(), clock);
    await clock.advance(100);
    timer.changePeriod(200);
    expect(clock.pendingTimers).toBe(1);

    await clock.advance(200);
    expect(tick).toMatchObject({ settled: true, value: true, at: 300 });
    timer.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('keeps a tick that was due and not yet consumed', async () => {
    const clock = new FakeClock();
    const timer = new PeriodicTimer(100, { clock });
    await clock.advance(250); // 100 and 200 are due, unconsumed
    timer.changePeriod(1_000);

    const tick = track(timer.waitForNextTick(), clock);
    await clock.runDue();
    expect(tick).toMatchObject({ settled: true, value: true, at: 250 });
    expect(timer.missedTicks).toBe(1);
    expect(timer.lastTickDueTime).toBe(200);
    timer.stop();
  });

  it('rejects a bad period and leaves the timer as it was', async () => {
    const clock = new FakeClock();
    const timer = new PeriodicTimer(100, { clock });
    expect(() => timer.changePeriod(0)).toThrow(InvalidOptionError);
    expect(timer.period).toBe(100);

    const tick = track(timer.waitForNextTick(), clock);
    await clock.advance(100);
    expect(tick).toMatchObject({ value: true, at: 100 });
    timer.stop();
  });
});
