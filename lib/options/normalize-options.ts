import { Logger, LoggerService } from '@nestjs/common';
import { InvalidOptionError } from '../errors/invalid-option.error';
import { DEFAULT_SHUTDOWN_TIMEOUT, MAX_TIMER_MS } from '../hosting.constants';
import { BackgroundServiceExceptionBehavior, HostedServicesModuleOptions } from '../interfaces/hosting-options.interface';

/**
 * Options with every default applied and every value checked.
 * @internal
 */
export interface NormalizedHostingOptions {
  readonly shutdownTimeout: number;
  readonly startupTimeout: number;
  readonly servicesStartConcurrently: boolean;
  readonly servicesStopConcurrently: boolean;
  readonly backgroundServiceExceptionBehavior: BackgroundServiceExceptionBehavior;
  readonly keepAlive: boolean;
  readonly logger: LoggerService | false;
}

const KNOWN = new Set([
  'shutdownTimeout',
  'startupTimeout',
  'servicesStartConcurrently',
  'servicesStopConcurrently',
  'backgroundServiceExceptionBehavior',
  'keepAlive',
  'logger',
]);

/**
 * Validates the module options and applies defaults. Throws `InvalidOptionError` naming the first
 * bad value; unknown keys are rejected too, since a typo (`shutdownTimout`) would otherwise be
 * silently ignored.
 * @internal
 */
export function normalizeOptions(options: HostedServicesModuleOptions | undefined = {}): NormalizedHostingOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'an object', options);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new InvalidOptionError(key, `one of the known options (${[...KNOWN].join(', ')})`, (options as Record<string, unknown>)[key]);
  }
  return {
    shutdownTimeout: timeout('shutdownTimeout', options.shutdownTimeout, DEFAULT_SHUTDOWN_TIMEOUT),
    startupTimeout: timeout('startupTimeout', options.startupTimeout, Infinity),
    servicesStartConcurrently: flag('servicesStartConcurrently', options.servicesStartConcurrently),
    servicesStopConcurrently: flag('servicesStopConcurrently', options.servicesStopConcurrently),
    backgroundServiceExceptionBehavior: behavior(options.backgroundServiceExceptionBehavior),
    keepAlive: flag('keepAlive', options.keepAlive, true),
    logger: logger(options.logger),
  };
}

/** A timeout in ms: finite, >= 0 and within Node's timer range, or `Infinity` for none. @internal */
export function timeout(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === Infinity) return Infinity;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_TIMER_MS) {
    throw new InvalidOptionError(name, `a number of ms from 0 to ${MAX_TIMER_MS}, or Infinity`, value);
  }
  return value;
}

function flag(name: string, value: unknown, fallback = false): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new InvalidOptionError(name, 'a boolean', value);
  return value;
}

function behavior(value: unknown): BackgroundServiceExceptionBehavior {
  if (value === undefined) return 'stopHost';
  if (value !== 'stopHost' && value !== 'ignore') {
    throw new InvalidOptionError('backgroundServiceExceptionBehavior', "'stopHost' or 'ignore'", value);
  }
  return value;
}

function logger(value: unknown): LoggerService | false {
  // No context on the instance: HostingLogger passes 'Hosting' as the last argument, as Nest itself
  // does, and a Logger that has its own context would print that argument as a second message.
  if (value === undefined) return new Logger();
  if (value === false) return false;
  if (!isLoggerService(value)) throw new InvalidOptionError('logger', 'a Nest LoggerService (with log, error, warn) or false', value);
  return value;
}

function isLoggerService(value: unknown): value is LoggerService {
  if (typeof value !== 'object' || value === null) return false;
  const { log, error, warn } = value as Record<string, unknown>;
  return typeof log === 'function' && typeof error === 'function' && typeof warn === 'function';
}
