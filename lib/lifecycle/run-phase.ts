import { settleOrAbort } from '../utils/abort';

/**
 * How a phase treats its services.
 * @internal
 */
export interface PhaseOptions {
  /** Call every service first (their synchronous parts in order), then wait for all together. */
  readonly concurrent: boolean;
  /** Sequential only: after a failure, call no further service (start), or carry on (stop). */
  readonly stopOnError: boolean;
  /** When it aborts, the phase stops waiting for calls still running. */
  readonly signal: AbortSignal;
  /** After `signal` aborted: still call the remaining services, without waiting (stop), or not (start). */
  readonly callAfterAbort: boolean;
}

/**
 * What a phase did: the services whose call succeeded (in the order they finished), the errors
 * (in the order they happened), and the services still running when the phase stopped waiting.
 * @internal
 */
export interface PhaseResult<S> {
  readonly completed: S[];
  readonly errors: unknown[];
  readonly pending: S[];
}

/**
 * Runs one lifecycle phase over `services` (the .NET `Host.ForeachService`). `call` returns the
 * service's promise, or `undefined` when the service does not implement this phase's hook. It
 * never rejects: failures are collected.
 * @internal
 */
export async function runPhase<S>(
  services: readonly S[],
  call: (service: S) => Promise<void> | undefined,
  options: PhaseOptions,
): Promise<PhaseResult<S>> {
  const result: PhaseResult<S> = { completed: [], errors: [], pending: [] };
  let open = true; // results that arrive after the phase stopped waiting are not part of it
  const track = (service: S, promise: Promise<void>): Promise<void> =>
    promise.then(
      () => void (open && result.completed.push(service)),
      (error: unknown) => void (open && result.errors.push(error)),
    );
  const calls: Array<{ service: S; done: Promise<void>; settled: boolean }> = [];
  for (const service of services) {
    if (options.signal.aborted && !options.callAfterAbort) break;
    const promise = call(service);
    if (promise === undefined) continue;
    const entry = { service, done: track(service, promise), settled: false };
    void entry.done.then(() => (entry.settled = true)); // never rejects: track() handled both outcomes
    calls.push(entry);
    if (options.concurrent) continue;
    await settleOrAbort(entry.done, options.signal);
    if (result.errors.length > 0 && options.stopOnError) break;
  }
  if (options.concurrent) await settleOrAbort(Promise.all(calls.map((c) => c.done)), options.signal);
  // A call that ends promptly *because* the signal aborted (a queue handing its items back) has
  // stopped, not been abandoned: give such calls the rest of this event-loop turn. Without the
  // abort, everything has settled already and one microtask is enough.
  if (options.signal.aborted) await new Promise<void>((resolve) => setImmediate(resolve));
  else await Promise.resolve();
  open = false;
  for (const c of calls) if (!c.settled) result.pending.push(c.service);
  return result;
}
