import { InvalidOptionError } from '../errors/invalid-option.error';
import { MAX_TIMER_MS } from '../hosting.constants';
import { isAbortSignal } from '../utils/abort';

// Every option and argument the library takes is checked with these functions, so a rule and its
// wording are the same wherever it applies. Each takes the option's name, the value as given and,
// for an optional option, the default that `undefined` stands for (no default: the option is
// required). It returns the value, typed, or throws an InvalidOptionError naming the option, what
// it expects and the value.

/**
 * The building block of the other checks, and of option-specific ones (a logger, a clock):
 * `value` if `test` accepts it, `fallback` for `undefined` when there is one, else an
 * InvalidOptionError saying `expected`.
 * @internal
 */
export function check<T>(
  name: string,
  value: unknown,
  test: (value: unknown) => value is T,
  expected: string,
  fallback?: T,
): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (!test(value)) throw new InvalidOptionError(name, expected, value);
  return value;
}

/**
 * An options object (not null, not an array); `undefined` counts as `{}` unless `required`.
 * @internal
 */
export function optionsObject(name: string, value: unknown, { required = false } = {}): Record<string, unknown> {
  return check(name, value, isPlainObject, 'an object', required ? undefined : {});
}

/**
 * The keys of an options interface, checked by the compiler to be complete and correct: a key
 * missing from `keys`, or one the interface lacks, is a type error.
 * @internal
 * @example const KEYS = keysOf<TaskQueueOptions>({ name: true, capacity: true, ... });
 */
export function keysOf<T>(keys: Record<keyof T, true>): readonly string[] {
  return Object.keys(keys);
}

/**
 * Rejects any key of `options` that is not in `known`, naming it and listing the known ones: a
 * typo (`capasity`) would otherwise be ignored and its default used without a word.
 * @internal
 */
export function knownKeys(options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      const value = (options as Record<string, unknown>)[key];
      throw new InvalidOptionError(key, `a known option (one of ${known.join(', ')})`, value);
    }
  }
}

/**
 * One of the `allowed` strings; `undefined` gives `fallback`.
 * @internal
 */
export function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback?: T): T {
  const listed = allowed.map((a) => `'${a}'`);
  const expected = listed.length > 1 ? `${listed.slice(0, -1).join(', ')} or ${listed.at(-1)}` : listed.join('');
  return check(name, value, (v): v is T => (allowed as readonly unknown[]).includes(v), expected, fallback);
}

/**
 * A boolean; `undefined` gives `fallback`.
 * @internal
 */
export function bool(name: string, value: unknown, fallback?: boolean): boolean {
  return check(name, value, (v): v is boolean => typeof v === 'boolean', 'a boolean', fallback);
}

/**
 * An optional callback: a function, or `undefined`.
 * @internal
 */
export function func<F extends (...args: never[]) => unknown>(name: string, value: unknown): F | undefined {
  if (value === undefined) return undefined;
  return check(name, value, (v): v is F => typeof v === 'function', 'a function');
}

/**
 * A string with at least one character; `undefined` gives `fallback`.
 * @internal
 */
export function nonEmptyString(name: string, value: unknown, fallback?: string): string {
  return check(name, value, (v): v is string => typeof v === 'string' && v.length > 0, 'a non-empty string', fallback);
}

/**
 * An integer >= 1 (a count, a capacity), or also `Infinity` with `orInfinity` (unbounded);
 * `undefined` gives `fallback`.
 * @internal
 */
export function positiveInt(name: string, value: unknown, fallback?: number, { orInfinity = false } = {}): number {
  const test = (v: unknown): v is number =>
    (Number.isInteger(v) && (v as number) >= 1) || (orInfinity && v === Infinity);
  return check(name, value, test, orInfinity ? 'a positive integer or Infinity' : 'a positive integer', fallback);
}

/**
 * A finite number, at least `min` when given; `undefined` gives `fallback`.
 * @internal
 */
export function finiteNumber(name: string, value: unknown, fallback?: number, { min = -Infinity } = {}): number {
  const test = (v: unknown): v is number => Number.isFinite(v) && (v as number) >= min;
  return check(name, value, test, min === -Infinity ? 'a finite number' : `a finite number >= ${min}`, fallback);
}

/**
 * A timeout option in ms: from 0 to {@link MAX_TIMER_MS} (Node fires a longer timer after 1 ms),
 * or `Infinity` for "no limit" unless `orInfinity` is false; `undefined` gives `fallback`.
 * @internal
 */
export function timeout(name: string, value: unknown, fallback?: number, { orInfinity = true } = {}): number {
  const test = (v: unknown): v is number => isNumberIn(v, 0, MAX_TIMER_MS) || (orInfinity && v === Infinity);
  const expected = `a number of ms from 0 to ${MAX_TIMER_MS}${orInfinity ? ', or Infinity' : ''}`;
  return check(name, value, test, expected, fallback);
}

/**
 * The period of a repeating timer in ms: greater than 0 and at most {@link MAX_TIMER_MS}.
 * Required: a period has no sensible default.
 * @internal
 */
export function period(name: string, value: unknown): number {
  const test = (v: unknown): v is number => isNumberIn(v, 0, MAX_TIMER_MS) && v > 0;
  return check(name, value, test, `a number of ms greater than 0 and at most ${MAX_TIMER_MS}`);
}

/**
 * A clock duration in ms: a number >= 0, where `Infinity` means "never" (until cancelled or
 * aborted). No upper bound: the clock waits out a longer span in steps. Required.
 * @internal
 */
export function duration(name: string, value: unknown): number {
  const test = (v: unknown): v is number => typeof v === 'number' && v >= 0; // false for NaN
  return check(name, value, test, 'a number of ms >= 0 (or Infinity for never)');
}

/**
 * An optional AbortSignal (duck-typed, so a signal from another realm passes).
 * @internal
 */
export function optionalSignal(name: string, value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  return check(name, value, isAbortSignal, 'an AbortSignal');
}

/** A number (not NaN) within [min, max]. */
function isNumberIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && value >= min && value <= max;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
