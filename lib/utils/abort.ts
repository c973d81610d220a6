/**
 * Waits for `promise` to settle, or for `signal` to abort, whichever comes first; never rejects.
 * When both have happened by the time it is called, the settled promise wins, so a `stop` that
 * completes synchronously counts as finished even with an already-aborted signal.
 * @internal
 */
export function settleOrAbort(promise: Promise<unknown>, signal: AbortSignal): Promise<'settled' | 'aborted'> {
  return new Promise((resolve) => {
    const onAbort = (): void => resolve('aborted');
    const settled = (): void => {
      signal.removeEventListener('abort', onAbort);
      resolve('settled');
    };
    promise.then(settled, settled);
    if (signal.aborted) {
      // Give an already-settled promise its microtask turn first.
      void Promise.resolve().then(onAbort);
    } else {
      signal.addEventListener('abort', onAbort, { once: true });
    }
  });
}

/**
 * Tells whether `error` was caused by aborting `signal`: it is the signal's reason, or a standard
 * `AbortError` raised by an API the signal was passed to (fetch, timers/promises, events.once).
 * @internal
 */
export function isAbortCaused(error: unknown, signal: AbortSignal): boolean {
  if (!signal.aborted) return false;
  if (error === signal.reason) return true;
  return error instanceof Error && error.name === 'AbortError';
}

/**
 * Whether `value` can be used as an AbortSignal. Duck-typed, so that a signal from another realm
 * (a test runner's sandbox) still passes; it must be able to remove the listener it was given, as
 * every user here removes its listener once done.
 * @internal
 */
export function isAbortSignal(value: unknown): value is AbortSignal {
  const candidate = value as Partial<AbortSignal> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.aborted === 'boolean' &&
    typeof candidate.addEventListener === 'function' &&
    typeof candidate.removeEventListener === 'function'
  );
}
