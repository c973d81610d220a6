import { InvalidOptionError } from '../errors/invalid-option.error';
import { isAbortSignal } from '../utils/abort';

/**
 * A rejected promise when `signal` is given but is not an AbortSignal, else undefined: the
 * promise-returning channel methods reject rather than throw, and must not get as far as
 * registering a waiter with it.
 * @internal
 */
export function badSignal(signal: unknown): Promise<never> | undefined {
  return signal === undefined || isAbortSignal(signal)
    ? undefined
    : Promise.reject(new InvalidOptionError('signal', 'an AbortSignal', signal));
}
