import { getEventListeners } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import { FakeClock } from '../../../lib/clock/fake-clock';
import { HostingError, isHostingError } from '../../../lib/errors/hosting-error';
import { PeriodicTimer } from '../../../lib/timing/periodic-timer';
import { track } from './track';

describe('PeriodicTimer stop, abort and misuse', () => {
  it('resolves a pending wait with false on stop and leaves no timer scheduled', async () => {
    const clock = new FakeClock();
    const timer = new PeriodicTimer(100, { clock });
    const tick = track(timer.waitForNextTick(), clock);
    await clock.advance(50);
    expect(clock.pendingTimers).toBe(1);

    timer.stop();
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(500);
    expect(tick).toMatchObject({ settled: true, value: false, at: 50 });
    await expect(timer.waitForNextTick()).resolves.toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });

  it('is idempotent, and disposing is the same as stopping', async () => {
    const clock = new FakeClock();
    const timer = new PeriodicTimer(100, { clock });
    const tick = track(timer.waitForNextTick(), clock);
    timer[Symbol.dispose]();
    timer.stop();
    timer[Symbol.dispose]();
    await clock.runDue();
    expect(tick.value).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });

  it('voids a tick that was due but not consumed when stopped', async () => {
    const clock = new FakeClock();
    const timer = new PeriodicTimer(100, { clock });
    await clock.advance(300);
    timer.stop();
    await expect(timer.waitForNextTick()).resolves.toBe(false);
  });

  it('ends a `while (await waitForNextTick(signal))` loop cleanly on stop', async () => {
    const clock = new FakeClock();
    const timer = new PeriodicTimer(100, { clock });
    let runs = 0;
    const loop = (async () => {
      while (await timer.waitForNextTick()) runs += 1;
      return 'ended';
    })();
    await clock.advance(350);
    timer.stop();
    await expect(loop).resolves.toBe('ended');
    expect(runs).toBe(3);
    expect(clock.pendingTimers).toBe(0);
  });

  it('resolves false when the signal aborts, removing its timer and abort listener', async () => {
    const clock = new FakeClock();
    const timer = new PeriodicTimer(100, { clock });
    const controller = new AbortController();
    const tick = track(timer.waitForNextTick(controller.signal), clock);
    await clock.advance(40);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);

    controller.abort(new Error('shutting down'));
    await clock.runDue();
    expect(tick).toMatchObject({ settled: true, value: false, error: undefined, at: 40 });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(clock.pendingTimers).toBe(0);

    // The abort ended one wait, not the timer: the schedule goes on.
    const next = track(timer.waitForNextTick(), clock);
    await clock.advance(60);
    expect(next).toMatchObject({ value: true, at: 100 });
    timer.stop();
  });

  it('removes the abort listener when the wait ends with a tick', async () => {
    const clock = new FakeClock();
    const timer = new PeriodicTimer(100, { clock });
    const controller = new AbortController();
    const tick = track(timer.waitForNextTick(controller.signal), clock);
    await clock.advance(100);
    expect(tick.value).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    timer.stop();
  });

  it('resolves false at once for an already aborted signal, without consuming a due tick', async () => {
    const clock = new FakeClock();
    const timer = new PeriodicTimer(100, { clock });
    await clock.advance(150);

    await expect(timer.waitForNextTick(AbortSignal.abort())).resolves.toBe(false);
    expect(clock.pendingTimers).toBe(0);
    await expect(timer.waitForNextTick()).resolves.toBe(true);
    expect(timer.lastTickDueTime).toBe(100);
    timer.stop();
  });

  it('rejects a second concurrent wait with HOSTING_INVALID_STATE and keeps the first one', async () => {
    const clock = new FakeClock();
    const timer = new PeriodicTimer(100, { clock });
    const first = track(timer.waitForNextTick(), clock);

    const error: unknown = await timer.waitForNextTick().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostingError);
    expect(isHostingError(error, 'HOSTING_INVALID_STATE')).toBe(true);
    expect((error as Error).message).toMatch(/one consumer at a time/);
    expect(clock.pendingTimers).toBe(1);

    await clock.advance(100);
    expect(first).toMatchObject({ value: true, at: 100 });
    // Once the first wait is over, a new one is fine.
    const second = track(timer.waitForNextTick(), clock);
    await clock.advance(100);
    expect(second).toMatchObject({ value: true, at: 200 });
    timer.stop();
  });

  it('keeps no clock timer while nobody waits, and at most one while someone does', async () => {
    const clock = new FakeClock();
    const timer = new PeriodicTimer(10, { clock });
    expect(clock.pendingTimers).toBe(0);
    for (let i = 0; i < 5; i++) {
      const tick = track(timer.waitForNextTick(), clock);
      expect(clock.pendingTimers).toBe(1);
      await clock.advance(10);
      expect(tick.value).toBe(true);
      expect(clock.pendingTimers).toBe(0);
    }
    timer.stop();
  });
});
