import { Clock, SystemClock } from '../clock/clock';
import { InvalidOptionError } from '../errors/invalid-option.error';

/** Node clamps longer timeouts to 1 ms (TimeoutOverflowWarning), so longer periods cannot work. */
const MAX_PERIOD_MS = 2 ** 31 - 1;

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

/**
 * Checks a period in milliseconds: a number > 0 and <= 2^31-1 (which also rules out NaN and
 * Infinity).
 * @throws InvalidOptionError naming `period`.
 * @internal
 */
export function validatePeriod(periodMs: unknown): asserts periodMs is number {
  if (typeof periodMs !== 'number' || !(periodMs > 0 && periodMs <= MAX_PERIOD_MS)) {
    throw new InvalidOptionError('period', `a number of milliseconds > 0 and <= ${MAX_PERIOD_MS}`, periodMs);
  }
}

/**
 * The clock to use: the given one, or a new {@link SystemClock}.
 * @throws InvalidOptionError naming `clock` when the value is not clock-like.
 * @internal
 */
export function resolveClock(clock: unknown): Clock {
  if (clock === undefined) return new SystemClock();
  if (!isClockLike(clock)) throw new InvalidOptionError('clock', 'a Clock (with now() and setTimer())', clock);
  return clock;
}

/** Duck-typed rather than `instanceof`, which two copies of the package would break. */
function isClockLike(value: unknown): value is Clock {
  const candidate = value as Partial<Record<keyof Clock, unknown>> | null | undefined;
  return typeof candidate?.now === 'function' && typeof candidate.setTimer === 'function';
}
