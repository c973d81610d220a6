import { inspect } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { FakeClock } from '../../../lib/clock/fake-clock';
import { isHostingError } from '../../../lib/errors/hosting-error';
import { InvalidOptionError } from '../../../lib/errors/invalid-option.error';
import { PeriodicTimer } from '../../../lib/timing/periodic-timer';

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('PeriodicTimer argument validation', () => {
  it.each([
    0,
    -1,
    -0.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    '5',
    2 ** 31,
    1e12,
    undefined,
    null,
    5n,
  ])('rejects the period %p with an InvalidOptionError naming it', (period) => {
    const error = thrownBy(() => new PeriodicTimer(period as number, { clock: new FakeClock() }));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toBeInstanceOf(TypeError);
    expect(isHostingError(error, 'HOSTING_INVALID_OPTION')).toBe(true);
    const { option, value, message } = error as InvalidOptionError;
    expect(option).toBe('period');
    expect(Object.is(value, period)).toBe(true);
    expect(message).toContain('`period`');
    expect(message).toContain(`\`${inspect(period)}\``);
  });

  it.each([1, 0.5, 2 ** 31 - 1])('accepts the period %p', (period) => {
    const clock = new FakeClock();
    const timer = new PeriodicTimer(period, { clock });
    expect(timer.period).toBe(period);
    timer.stop();
  });

  it.each([{}, null, 'clock', { now: () => 0 }])('rejects the clock %p', (clock) => {
    const error = thrownBy(() => new PeriodicTimer(10, { clock: clock as FakeClock }));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).option).toBe('clock');
  });

  it('rejects a bad period in changePeriod the same way', () => {
    const timer = new PeriodicTimer(10, { clock: new FakeClock() });
    const error = thrownBy(() => timer.changePeriod(Number.NaN));
    expect((error as InvalidOptionError).option).toBe('period');
    timer.stop();
  });
});

describe('PeriodicTimer.waitForNextTick(notASignal)', () => {
  it.each([{}, 'signal', 42, null, { aborted: false }])(
    'rejects with InvalidOptionError naming `signal` (%p), and the timer stays usable',
    async (signal) => {
      const clock = new FakeClock();
      const timer = new PeriodicTimer(10, { clock });
      const error = await timer.waitForNextTick(signal as AbortSignal).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect(isHostingError(error, 'HOSTING_INVALID_OPTION')).toBe(true);
      expect((error as InvalidOptionError).option).toBe('signal');
      expect(clock.pendingTimers).toBe(0); // nothing armed for the refused wait

      const tick = timer.waitForNextTick(); // not "a previous call is still waiting"
      await clock.advance(10);
      await expect(tick).resolves.toBe(true);
      timer.stop();
      expect(clock.pendingTimers).toBe(0);
    },
  );
});

describe('PeriodicTimer options', () => {
  it.each([null, 'fast', 42])('rejects options %p that are not an object', (options) => {
    const error = thrownBy(() => new PeriodicTimer(10, options as never));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).option).toBe('options');
  });

  it('rejects an unknown key, naming it', () => {
    const error = thrownBy(() => new PeriodicTimer(10, { clock: new FakeClock(), period: 5 } as never));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).option).toBe('period');
    expect((error as Error).message).toContain('known option');
  });
});
