import { Inject, LoggerService } from '@nestjs/common';

import { Clock, HostedService } from '../../../lib';
import { TimedBackgroundService, TimedRun } from '../../../lib/services/timed-background-service';
import { TimedServiceOptions } from '../../../lib/services/timed-service.options';

/** Token for the options a {@link Heartbeat} is built with. */
export const HEARTBEAT_OPTIONS = Symbol('HEARTBEAT_OPTIONS');

/** What each run of a {@link Heartbeat} does; set by the test, reset before each. */
export const script: { body: (run: TimedRun, clock: Clock) => void | Promise<void> } = { body: () => undefined };

/** A timed hosted service wired by Nest: options from {@link HEARTBEAT_OPTIONS}, the injected Clock. */
@HostedService()
export class Heartbeat extends TimedBackgroundService {
  readonly runs: TimedRun[] = [];
  readonly starts: number[] = [];

  constructor(
    readonly clock: Clock,
    @Inject(HEARTBEAT_OPTIONS) options: TimedServiceOptions,
  ) {
    super(options, { clock });
  }

  protected async doWork(run: TimedRun): Promise<void> {
    this.runs.push(run);
    this.starts.push(this.clock.now());
    await script.body(run, this.clock);
  }
}

/** Resolves once `signal` aborts (at once if it has). */
export function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** What Nest's static Logger receives: a check that the library writes nothing there by itself. */
export class NestLogSpy implements LoggerService {
  readonly lines: Array<{ level: string; message: string; context: unknown }> = [];
  log(message: unknown, ...rest: unknown[]): void {
    this.#push('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.#push('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.#push('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.#push('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.#push('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.#push('fatal', message, rest);
  }
  #push(level: string, message: unknown, rest: unknown[]): void {
    this.lines.push({ level, message: String(message), context: rest.at(-1) });
  }
}
