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

  /** Runs `callback` once, after `ms` milliseconds (clamped to >= 0). */
  abstract setTimer(callback: () => void, ms: number): TimerHandle;

  /**
   * Resolves after `ms` milliseconds, or rejects with the signal's reason as soon as `signal`
   * aborts (immediately if it already has). Leaves no timer or listener behind either way.
   */
  delay(ms: number, signal?: AbortSignal): Promise<void> {
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
    const handle = setTimeout(callback, Math.max(0, ms));
    return { cancel: () => clearTimeout(handle) };
  }
}
