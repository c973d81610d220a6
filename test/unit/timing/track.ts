import { Clock } from '../../../lib/clock/clock';

/** A promise's outcome, readable synchronously, with the clock time at which it settled. */
export interface Tracked<T> {
  settled: boolean;
  value: T | undefined;
  error: unknown;
  at: number | undefined;
}

/**
 * Observes `promise` without awaiting it, so a test can advance a FakeClock step by step and ask
 * "has it resolved yet, with what, and when?".
 */
export function track<T>(promise: Promise<T>, clock: Clock): Tracked<T> {
  const state: Tracked<T> = { settled: false, value: undefined, error: undefined, at: undefined };
  // Not awaited on purpose: the test polls `state`; both branches handle the outcome, so nothing
  // can go unhandled.
  void promise.then(
    (value) => Object.assign(state, { settled: true, value, at: clock.now() }),
    (error: unknown) => Object.assign(state, { settled: true, error, at: clock.now() }),
  );
  return state;
}
