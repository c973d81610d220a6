/** What a promise has done so far, observable without awaiting it. */
export interface Observed<T> {
  readonly promise: Promise<T>;
  status: 'pending' | 'fulfilled' | 'rejected';
  value?: T;
  reason?: unknown;
}

/** Starts observing `promise` (which also marks its rejection as handled). */
export function observe<T>(promise: Promise<T>): Observed<T> {
  const observed: Observed<T> = { promise, status: 'pending' };
  promise.then(
    (value) => {
      observed.status = 'fulfilled';
      observed.value = value;
    },
    (reason: unknown) => {
      observed.status = 'rejected';
      observed.reason = reason;
    },
  );
  return observed;
}

/**
 * Lets every pending microtask run, and the channel's deferred `waitToRead()` wake-ups
 * (`process.nextTick`, which runs once the microtask queue is empty), a few rounds over. No timer.
 */
export async function flush(rounds = 4): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => process.nextTick(resolve));
}

/** The reason `promise` rejects with (fails if it fulfils). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the promise to reject, but it fulfilled');
}
