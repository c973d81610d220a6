import { asyncDisposeSymbol, disposeSymbol } from './dispose-symbols';

/** The dispose contract, as read off an instance. */
interface DisposeContract {
  onUnitOfWorkEnd?: () => unknown;
  [asyncDisposeSymbol]?: () => PromiseLike<void>;
  [disposeSymbol]?: () => void;
}

/**
 * Whether a scope must dispose `value` at the end of its unit: it is an object with
 * `onUnitOfWorkEnd()`, `[Symbol.asyncDispose]()` or `[Symbol.dispose]()`.
 * @internal
 */
export function isDisposable(value: unknown): value is object {
  if (typeof value !== 'function' && (typeof value !== 'object' || value === null)) return false;
  const contract = value as DisposeContract;
  return (
    typeof contract.onUnitOfWorkEnd === 'function' ||
    typeof contract[asyncDisposeSymbol] === 'function' ||
    typeof contract[disposeSymbol] === 'function'
  );
}

/**
 * What went wrong while disposing: the errors in disposal order and the names of the
 * instances that threw them.
 * @internal
 */
export interface DisposalFailures {
  readonly errors: unknown[];
  readonly instances: string[];
}

/**
 * Disposes `instances` last to first, one at a time, awaiting each: `onUnitOfWorkEnd()`, then
 * `[Symbol.asyncDispose]()` or else `[Symbol.dispose]()` (the `await using` rule). For best-effort
 * cleanup it keeps going after a failure and reports every failure at the end.
 * @internal
 */
export async function disposeInReverse(instances: readonly object[]): Promise<DisposalFailures> {
  const failures: DisposalFailures = { errors: [], instances: [] };
  for (let i = instances.length - 1; i >= 0; i--) {
    const instance = instances[i] as DisposeContract;
    const fail = (error: unknown): void => {
      failures.errors.push(error);
      failures.instances.push(instance.constructor?.name || typeof instance);
    };
    if (typeof instance.onUnitOfWorkEnd === 'function') {
      try {
        await instance.onUnitOfWorkEnd();
      } catch (error) {
        fail(error);
      }
    }
    try {
      if (typeof instance[asyncDisposeSymbol] === 'function') await instance[asyncDisposeSymbol]();
      else if (typeof instance[disposeSymbol] === 'function') instance[disposeSymbol]();
    } catch (error) {
      fail(error);
    }
  }
  return failures;
}
