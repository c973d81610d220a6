import { afterEach, describe, expect, it, jest } from '@jest/globals';

import { Clock, FakeClock, InvalidOptionError, isHostingError, PeriodicTimer, SystemClock } from '../../../lib';

/** Checks that `error` is the library's typed option error naming `option`. */
function expectInvalidOption(error: unknown, option: string): void {
  expect(error).toBeInstanceOf(InvalidOptionError);
  expect(isHostingError(error, 'HOSTING_INVALID_OPTION')).toBe(true);
  expect((error as InvalidOptionError).option).toBe(option);
  expect((error as Error).message).toContain(`\`${option}\``);
}

const NOT_SIGNALS: unknown[] = [
  {},
  'signal',
  42,
  { aborted: false },
  { aborted: false, addEventListener: () => undefined },
];

afterEach(() => {
  jest.useRealTimers();
});

describe('clock.delay(ms, notASignal)', () => {
  it.each(NOT_SIGNALS)(
    'FakeClock: rejects with InvalidOptionError naming `signal` (%p), and schedules nothing',
    async (signal) => {
      const clock = new FakeClock();
      const error = await clock.delay(50, signal as AbortSignal).catch((e: unknown) => e);
      expectInvalidOption(error, 'signal');
      expect(clock.pendingTimers).toBe(0);
      // Had a timer been left behind, its callback would throw here, when it fires.
      await expect(clock.advance(100)).resolves.toBeUndefined();
    },
  );

  it.each(NOT_SIGNALS)(
    'SystemClock: rejects with InvalidOptionError naming `signal` (%p), and leaves no Node timer',
    async (signal) => {
      jest.useFakeTimers();
      const error = await new SystemClock().delay(50, signal as AbortSignal).catch((e: unknown) => e);
      expectInvalidOption(error, 'signal');
      expect(jest.getTimerCount()).toBe(0);
    },
  );

  it('SystemClock, in real time: nothing fires later (jest fails the test on an uncaught exception)', async () => {
    const error = await new SystemClock().delay(20, {} as AbortSignal).catch((e: unknown) => e);
    expectInvalidOption(error, 'signal');
    await new Promise((resolve) => setTimeout(resolve, 60));
  });

  it('checks `ms` before the signal', async () => {
    expectInvalidOption(await new FakeClock().delay(NaN, {} as AbortSignal).catch((e: unknown) => e), 'ms');
  });
});

describe('clock.setTimer(notAFunction, ms)', () => {
  it.each<[string, () => Clock]>([
    ['FakeClock', () => new FakeClock()],
    ['SystemClock', () => new SystemClock()],
  ])('%s: throws InvalidOptionError naming `callback`, and schedules nothing', (_name, create) => {
    jest.useFakeTimers();
    const clock = create();
    let error: unknown;
    try {
      clock.setTimer('later' as unknown as () => void, 10);
    } catch (e) {
      error = e;
    }
    expectInvalidOption(error, 'callback');
    expect(jest.getTimerCount()).toBe(0);
    if (clock instanceof FakeClock) expect(clock.pendingTimers).toBe(0);
  });
});

describe('FakeClock: time is a finite number, and only moves forward', () => {
  it.each([NaN, Infinity, -Infinity, '5'])('new FakeClock(%p) throws InvalidOptionError naming `start`', (start) => {
    let error: unknown;
    try {
      new FakeClock(start as number);
    } catch (e) {
      error = e;
    }
    expectInvalidOption(error, 'start');
  });

  it.each([0, -1_000, 1e12])('new FakeClock(%p) starts there', (start) => {
    expect(new FakeClock(start).now()).toBe(start);
  });

  it.each([NaN, -1, Infinity, -Infinity, '5', undefined])(
    'advance(%p) rejects with InvalidOptionError naming `ms`; time stays put and timers still fire',
    async (ms) => {
      const clock = new FakeClock(100);
      const fired: number[] = [];
      clock.setTimer(() => fired.push(clock.now()), 10);
      expectInvalidOption(await clock.advance(ms as number).catch((e: unknown) => e), 'ms');
      expect(clock.now()).toBe(100);
      expect(fired).toEqual([]);
      await clock.advance(10);
      expect(fired).toEqual([110]);
    },
  );

  // Refused rather than read as "run every timer": a repeating timer re-arms forever, so it
  // would never return.
  it('advance(Infinity) with a PeriodicTimer waiting rejects at once, and the timer keeps working', async () => {
    const clock = new FakeClock();
    const timer = new PeriodicTimer(10, { clock });
    const tick = timer.waitForNextTick();
    let hang: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      clock.advance(Infinity).then(
        () => 'resolved',
        (e: unknown) => e,
      ),
      new Promise((resolve) => (hang = setTimeout(() => resolve('still running after 1s'), 1_000))),
    ]);
    clearTimeout(hang);
    expectInvalidOption(outcome, 'ms');
    await clock.advance(10);
    await expect(tick).resolves.toBe(true);
    timer.stop();
  });
});
