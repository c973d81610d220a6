/** Token of the normalized module options. @internal */
export const HOSTING_OPTIONS = 'HOSTING:OPTIONS';
/** Metadata key written by `@HostedService()`. @internal */
export const HOSTED_SERVICE_METADATA = 'hosting:hosted-service';

/**
 * An instance property naming a hosted service in logs, for a provider whose token is not a
 * readable name (a task queue's consumer is registered under an internal token).
 * @internal
 */
export const HOSTED_SERVICE_NAME = Symbol.for('nestjs-hosting.hosted-service-name');

/** Default shutdown budget, as in .NET 7+. @internal */
export const DEFAULT_SHUTDOWN_TIMEOUT = 30_000;
/**
 * The longest delay a Node timer holds, 2^31-1 ms (about 24.8 days): Node fires a longer one after
 * 1 ms. The one timer limit of the library: timeout and period options above it are rejected, and
 * the system clock waits out a longer delay in steps of it.
 * @internal
 */
export const MAX_TIMER_MS = 2_147_483_647;
/**
 * A repeat of the same signal within this many ms counts as the same signal, not as a second one:
 * `npm run` forwards the terminal's SIGINT to its child, which has also received it from the
 * terminal, so one Ctrl+C arrives twice within a few ms.
 * @internal
 */
export const SIGNAL_COALESCE_MS = 250;

/**
 * The process exit codes the host sets when it owns the process lifetime (shutdown hooks on).
 * Severity decides when several apply: forced > fault > deadline > requested > clean.
 * @publicApi
 */
export const ExitCode = {
  /** Every service stopped in time, nothing faulted. */
  Clean: 0,
  /** A background service faulted (`'stopHost'`), or a service failed to start or stop. */
  Fault: 1,
  /** The shutdown deadline passed with services still running; they were abandoned. */
  DeadlineExceeded: 124,
  /** A second signal forced the exit: 128 + the signal's number (130 for SIGINT, 143 for SIGTERM). */
  ForcedBase: 128,
} as const;
