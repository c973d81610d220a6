import { MAX_TIMER_MS } from '../hosting.constants';
import { check, duration, optionalSignal } from '../options/validate';

/**
 * Whether `value` can serve as a {@link Clock}: duck-typed rather than `instanceof`, which two
 * copies of the package would break.
 * @internal
 */
export function isClock(value: unknown): value is Clock {
  const candidate = value as Partial<Record<keyof Clock, unknown>> | null | undefined;
  return typeof candidate?.now === 'function' && typeof candidate.setTimer === 'function';
}

/**
 * Checks the arguments of {@link Clock.setTimer}: `ms` a number >= 0, where `Infinity` means
 * "never" (until cancelled). NaN, negatives and non-numbers are bugs that would otherwise become a
 * 1 ms timer on Node and a never-firing one on a fake clock; a callback that is not a function
 * would throw, uncaught, only when the timer fires.
 * @internal
 */
export function checkTimer(callback: unknown, ms: unknown): number {
  check('callback', callback, (c): c is () => void => typeof c === 'function', 'a function');
  return duration('ms', ms);
}

/**
 * A scheduled callback that can be cancelled. Cancelling twice, or after it ran, is a no-op.
 * @publicApi
 */
export interface TimerHandle {
  cancel(): void;
}

/**
 * The one source of time for the library: every timeout, deadline, delay and duration goes through
 * it, so tests can replace it with a {@link FakeClock} and drive time without sleeping.
 *
 * It is also a DI token: inject `Clock` in your own services, and override it in tests with
 * `Test.createTestingModule(...).overrideProvider(Clock).useValue(new FakeClock())`.
 * @publicApi
 */
export abstract class Clock {
  /** Milliseconds on a monotonic scale (not wall-clock time): only differences are meaningful. */
  abstract now(): number;

  /**
   * Runs `callback` once, after `ms` milliseconds; `Infinity` never runs it.
   * @throws InvalidOptionError naming `ms` when it is not a number >= 0, or `callback` when it is
   * not a function.
   */
  abstract setTimer(callback: () => void, ms: number): TimerHandle;

  /**
   * Resolves after `ms` milliseconds, or rejects with the signal's reason as soon as `signal`
   * aborts (immediately if it already has). Leaves no timer or listener behind either way.
   * `delay(Infinity, signal)` waits until `signal` aborts. Rejects with InvalidOptionError naming
   * `ms` when it is not a number >= 0, or `signal` when it is given but is not an AbortSignal,
   * and then schedules nothing.
   */
  delay(ms: number, signal?: AbortSignal): Promise<void> {
    try {
      // Both checked before anything is scheduled: a bad signal found later would leave a timer
      // behind, and its callback would throw, uncaught, when it fired.
      duration('ms', ms);
      optionalSignal('signal', signal);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<void>((resolve, reject) => {
      // Rejects with the signal's reason as given (an AbortError DOMException unless the caller
      // chose one), so callers can tell their own abort apart by identity.
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const onAbort = (): void => {
        timer.cancel();
        reject(signal?.reason as Error);
      };
      const timer = this.setTimer(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/**
 * The real clock: `performance.now()` and Node's timers.
 * @publicApi
 */
export class SystemClock extends Clock {
  now(): number {
    return performance.now();
  }

  setTimer(callback: () => void, ms: number): TimerHandle {
    if (checkTimer(callback, ms) === Infinity) return { cancel: () => undefined };
    // Longer than a Node timer can hold: wait in steps rather than fire after 1 ms.
    let handle: ReturnType<typeof setTimeout>;
    const arm = (remaining: number): void => {
      handle =
        remaining > MAX_TIMER_MS
          ? setTimeout(() => arm(remaining - MAX_TIMER_MS), MAX_TIMER_MS)
          : setTimeout(callback, remaining);
    };
    arm(ms);
    return { cancel: () => clearTimeout(handle) };
  }
}
