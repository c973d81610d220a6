import { constants } from 'node:os';
import { ExitCode } from '../hosting.constants';

/** How a run of the host ended, as the host and the process lifetime observed it. @internal */
export interface RunOutcome {
  /** A second signal forced the exit. */
  readonly forcedBy?: NodeJS.Signals;
  /** A signal cancelled the startup. */
  readonly cancelledBy?: NodeJS.Signals;
  /** A `'stopHost'` fault, or a service failed to start or to stop. */
  readonly failed: boolean;
  /** The shutdown deadline passed with services still running. */
  readonly abandoned: boolean;
  /** The code given to `stopApplication(code)`, if any. */
  readonly requested?: number;
}

/**
 * The exit code a run deserves, the most severe first: forced or cancelled by a signal (128 + n),
 * a fault (1), the deadline (124), the code asked for, clean (0). The README's exit-code table is
 * this function; test/unit/process/exit-code.spec.ts checks it row by row.
 * @internal
 */
export function exitCodeFor(outcome: RunOutcome): number {
  const signal = outcome.forcedBy ?? outcome.cancelledBy;
  if (signal) return signalExitCode(signal);
  if (outcome.failed) return ExitCode.Fault;
  if (outcome.abandoned) return ExitCode.DeadlineExceeded;
  return outcome.requested ?? ExitCode.Clean;
}

/** 128 + the signal's number, as a shell reports a process ended by it (130, 143). @internal */
export function signalExitCode(signal: NodeJS.Signals): number {
  return ExitCode.ForcedBase + (constants.signals[signal] ?? 0);
}
