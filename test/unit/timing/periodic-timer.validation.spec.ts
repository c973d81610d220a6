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
  it.each([0, -1, -0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '5', 2 ** 31, 1e12, undefined, null, 5n])(
    'rejects the period %p with an InvalidOptionError naming it',
    (period) => {
      const error = thrownBy(() => new PeriodicTimer(period as number, { clock: new FakeClock() }));
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect(error).toBeInstanceOf(TypeError);
      expect(isHostingError(error, 'HOSTING_INVALID_OPTION')).toBe(true);
      const { option, value, message } = error as InvalidOptionError;
      expect(option).toBe('period');
      expect(Object.is(value, period)).toBe(true);
      expect(message).toContain('`period`');
      expect(message).toContain(`\`${inspect(period)}\``);
    },
  );

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
