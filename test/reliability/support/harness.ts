import * as common from '@nestjs/common';
import { INestApplicationContext } from '@nestjs/common';

import { FakeClock } from '../../../lib';
import { HostState } from '../../../lib/lifecycle/host';
import { ProcessLifetime } from '../../../lib/process/process-lifetime';
import { HostedServicesOrchestrator } from '../../../lib/nest/hosted-services.orchestrator';

/** The NestJS major actually loaded (StandardSchemaValidationPipe is new in 12). */
export const NEST_MAJOR: 11 | 12 = 'StandardSchemaValidationPipe' in common ? 12 : 11;

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** What `promise` settled to, so that a rejection is never unhandled. */
export function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/** Tracks whether a promise has settled, without awaiting it. */
export function track(promise: Promise<unknown>): { readonly done: boolean } {
  const state = { done: false };
  const done = (): void => void (state.done = true);
  promise.then(done, done);
  return state;
}

/**
 * Moves the fake clock forward in `stepMs` steps until `promise` settles (or `limitMs` of fake
 * time have passed: then it fails, because something hung). Returns the outcome and the fake time.
 */
export async function drive<T>(
  clock: FakeClock,
  promise: Promise<T>,
  limitMs = 600_000,
  stepMs = 50,
): Promise<Settled<T> & { at: number }> {
  const state = track(promise);
  const outcome = settle(promise);
  const until = clock.now() + limitMs;
  await clock.runDue();
  while (!state.done) {
    if (clock.now() >= until) throw new Error(`still pending after ${limitMs}ms of fake time: something hangs`);
    await clock.advance(stepMs);
  }
  return { ...(await outcome), at: clock.now() };
}

/** The library's orchestrator (internal): its host knows the exit code this run deserves. */
export function orchestratorOf(app: INestApplicationContext): HostedServicesOrchestrator {
  return app.get(HostedServicesOrchestrator);
}

/** The exit code the process lifetime computed (what `runHost(app)` would make the process exit with). */
export function exitCodeOf(app: INestApplicationContext): number | undefined {
  return app.get(ProcessLifetime).exitCode;
}

export function hostStateOf(app: INestApplicationContext): HostState | undefined {
  return orchestratorOf(app).host?.state;
}

/** Process-level listeners the library may add; they must all be gone after close. */
export function processListeners(): Record<'SIGINT' | 'SIGTERM' | 'exit' | 'beforeExit', number> {
  return {
    SIGINT: process.listenerCount('SIGINT'),
    SIGTERM: process.listenerCount('SIGTERM'),
    exit: process.listenerCount('exit'),
    beforeExit: process.listenerCount('beforeExit'),
  };
}

/**
 * Closes an application whose `init()` rejected. Nest 12 runs the teardown hooks; Nest 11's
 * `close()` re-awaits the failed initialization and rejects with the same error. Either way the
 * library has rolled back already, so both are accepted here.
 */
export async function closeAfterFailedInit(app: INestApplicationContext, initError: unknown): Promise<void> {
  const closed = await settle(app.close());
  if (!closed.ok && !(NEST_MAJOR === 11 && closed.error === initError)) throw closed.error;
}

/** Real-clock sleep (for the few places that wait on real time on purpose). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Lets pending promise continuations and immediates run. */
export async function flush(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
