import { LoggerService } from '@nestjs/common';
import { isHostingError } from './errors/hosting-error';
import { Messages } from './hosting.messages';
import { describeError, errorStack } from './utils/errors';

const CONTEXT = 'Hosting';

/**
 * Every log line the host writes, one method per event, so levels and wording are decided here
 * (debug for each lifecycle step with its duration, log for the host, warn, error for faults,
 * fatal when a fault stops the host).
 * @internal
 */
export class HostingLogger {
  constructor(private readonly logger: LoggerService | false) {}

  step(service: string, phase: string, ms?: number): void {
    this.debug(ms === undefined ? `${service}: ${phase}` : `${service}: ${phase} in ${formatMs(ms)}`);
  }

  hostStarting(count: number): void {
    this.debug(`Starting ${count} hosted service${count === 1 ? '' : 's'}`);
  }

  hostStarted(count: number, ms: number): void {
    if (this.logger)
      this.logger.log(`Started ${count} hosted service${count === 1 ? '' : 's'} in ${formatMs(ms)}`, CONTEXT);
  }

  hostStopping(reason: string): void {
    if (this.logger) this.logger.log(`Stopping hosted services (${reason})`, CONTEXT);
  }

  hostStopped(ms: number): void {
    if (this.logger) this.logger.log(`Stopped hosted services in ${formatMs(ms)}`, CONTEXT);
  }

  phaseFailed(service: string, phase: string, error: unknown): void {
    this.error(`${service}: ${phase} failed`, error);
  }

  startFailed(error: unknown): void {
    if (isHostingError(error, 'HOSTING_START_CANCELLED'))
      this.warn(`${(error as Error).message}; the services that had started are being stopped`);
    else this.error('Hosted services failed to start; the services that had started are being stopped', error);
  }

  backgroundFaulted(service: string, error: unknown): void {
    this.error(Messages.backgroundFaulted(service), error);
  }

  stoppingHost(service: string): void {
    if (!this.logger) return;
    if (this.logger.fatal) this.logger.fatal(Messages.stoppingHost(service), CONTEXT);
    else this.logger.error(Messages.stoppingHost(service), undefined, CONTEXT);
  }

  /** The shutdown report: one line naming every service that did not finish, and for how long it ran. */
  abandoned(why: string, entries: ReadonlyArray<{ name: string; ms: number; what: string }>): void {
    if (!this.logger || entries.length === 0) return;
    const list = entries.map((e) => `${e.name} (${e.what}, running for ${formatMs(e.ms)})`).join('; ');
    this.logger.error(
      `${why}; abandoned ${entries.length} hosted service${entries.length === 1 ? '' : 's'}: ${list}`,
      undefined,
      CONTEXT,
    );
  }

  /** A timed service's run threw; the schedule goes on. */
  runFailed(service: string, run: number, error: unknown): void {
    this.error(`${service}: run #${run} failed`, error);
  }

  /** A timed service's run outlived `runTimeout`: its signal is aborted, and the run still awaited. */
  runTimedOut(service: string, run: number, ms: number): void {
    this.warn(`${service}: run #${run} exceeded runTimeout (${formatMs(ms)}); its signal is aborted`);
  }

  /** Disposing the scope of a timed service's run failed. */
  runScopeDisposalFailed(service: string, run: number, error: unknown): void {
    this.error(`${service}: disposing the scope of run #${run} failed`, error);
  }

  listenerFailed(event: string, error: unknown): void {
    this.error(`A "${event}" lifetime listener threw; the host carries on`, error);
  }

  info(message: string): void {
    if (this.logger) this.logger.log(message, CONTEXT);
  }

  warn(message: string): void {
    if (this.logger) this.logger.warn(message, CONTEXT);
  }

  debug(message: string): void {
    if (this.logger) this.logger.debug?.(message, CONTEXT);
  }

  /** An error-level line with no error object behind it (a refusal, a misconfiguration at runtime). */
  errorLine(message: string): void {
    if (this.logger) this.logger.error(message, undefined, CONTEXT);
  }

  error(message: string, error: unknown): void {
    if (this.logger) this.logger.error(`${message}: ${describeError(error)}`, errorStack(error), CONTEXT);
  }
}

/**
 * The property of a service that receives the host's {@link HostingLogger} through Nest's property
 * injection, so the service logs where (and only if) the host does, without the user passing it
 * to `super()`.
 * @internal
 */
export const HOSTING_LOGGER: unique symbol = Symbol.for('nestjs-hosting.hosting-logger');

/** `12ms`, `1.5s`. @internal */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
}
