import { ExitCode } from '../hosting.constants';
import { signalExitCode } from './exit-code';

/** How long a re-raised signal may take to end the process before it exits with 128 + n anyway. */
const RERAISE_GRACE_MS = 1_000;

/**
 * Every way the library ends the process or sets its exit code, in one place; the process
 * lifetime decides when, and `exitCodeFor` decides the code.
 * @internal
 */
export const ProcessExit = {
  /** Sets `process.exitCode` to a non-zero `code`: if none is set yet, or (`atLeast`) if it is 0. */
  setCode(code: number, mode: 'unlessSet' | 'atLeast'): void {
    if (code === ExitCode.Clean) return; // 0 is what an unset code means: writing it would say nothing
    const current = process.exitCode === undefined || process.exitCode === null ? undefined : Number(process.exitCode);
    if (mode === 'unlessSet' && current === undefined) process.exitCode = code;
    if (mode === 'atLeast' && !current) process.exitCode = code;
  },

  /** Ends the process now with `code`; a clean 0 keeps a code the application set itself. */
  now(code: number): void {
    if (code === ExitCode.Clean) process.exit();
    else process.exit(code);
  },

  /**
   * Ends the process by `signal`, as Node's default action would (so a parent sees why it ended);
   * if another listener swallows it, exits with 128 + n after a grace.
   */
  bySignal(signal: NodeJS.Signals): void {
    // A real timer on purpose: it must hold the event loop open until the signal lands.
    setTimeout(() => process.exit(signalExitCode(signal)), RERAISE_GRACE_MS);
    process.kill(process.pid, signal);
  },

  /** Nest re-raises `signal` (or calls `process.exit(0)`) after its close: end with `code` instead. */
  withCodeOnReraise(signal: NodeJS.Signals, code: number): void {
    process.exitCode = code;
    process.once(signal, () => process.exit(code));
    process.once('exit', () => void (process.exitCode = code)); // `useProcessExit`: Node reads it after 'exit'
  },
} as const;
