/*
 * Already-settled promises shared by every channel: an operation that completes at once returns
 * one of these rather than allocating, which keeps the hot path (`await writer.write(item)` with
 * room, `waitToRead()` with items) free of allocations. A settled promise cannot be changed, so
 * sharing is safe.
 */

/** @internal */
export const RESOLVED = Promise.resolve();
/** @internal */
export const RESOLVED_TRUE = Promise.resolve(true);
/** @internal */
export const RESOLVED_FALSE = Promise.resolve(false);

/**
 * A promise rejected with `reason` as given. Abort reasons and completion errors are the
 * caller's values, passed through untouched even when they are not `Error`s, as `AbortSignal`
 * APIs do.
 * @internal
 */
export function rejected(reason: unknown): Promise<never> {
  return Promise.reject(reason);
}
