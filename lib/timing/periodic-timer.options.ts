import { Clock, isClock, SystemClock } from '../clock/clock';
import { check, keysOf, knownKeys, optionsObject, period } from '../options/validate';

/**
 * Options of a {@link PeriodicTimer}.
 * @publicApi
 */
export interface PeriodicTimerOptions {
  /**
   * Where time comes from; pass a {@link FakeClock} in tests.
   * @default new SystemClock()
   */
  clock?: Clock;
}

const KEYS = keysOf<PeriodicTimerOptions>({ clock: true });

/**
 * Checks a period in milliseconds: a number > 0 and at most `MAX_TIMER_MS`, the longest a Node
 * timer holds (which also rules out NaN and Infinity).
 * @throws InvalidOptionError naming `period`.
 * @internal
 */
export function validatePeriod(periodMs: unknown): asserts periodMs is number {
  period('period', periodMs);
}

/**
 * Validates the options and returns the clock to use: the given one, or a new {@link SystemClock}.
 * @throws InvalidOptionError naming `options`, an unknown key, or `clock` when it is not clock-like.
 * @internal
 */
export function resolveClock(given: unknown): Clock {
  const options = optionsObject('options', given);
  knownKeys(options, KEYS);
  if (options.clock === undefined) return new SystemClock();
  return check('clock', options.clock, isClock, 'a Clock (with now() and setTimer())');
}
