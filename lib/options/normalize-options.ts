import { Logger, LoggerService } from '@nestjs/common';
import { DEFAULT_SHUTDOWN_TIMEOUT } from '../hosting.constants';
import {
  BackgroundServiceExceptionBehavior,
  HostedServicesModuleOptions,
} from '../interfaces/hosting-options.interface';
import { bool, check, keysOf, knownKeys, oneOf, optionsObject, timeout } from './validate';

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

const BEHAVIORS: readonly BackgroundServiceExceptionBehavior[] = ['stopHost', 'ignore'];

const KEYS = keysOf<HostedServicesModuleOptions>({
  shutdownTimeout: true,
  startupTimeout: true,
  servicesStartConcurrently: true,
  servicesStopConcurrently: true,
  backgroundServiceExceptionBehavior: true,
  keepAlive: true,
  logger: true,
});

/**
 * Validates the module options and applies defaults. Throws `InvalidOptionError` naming the first
 * bad value; unknown keys are rejected too, since a typo (`shutdownTimout`) would otherwise be
 * silently ignored.
 * @internal
 */
export function normalizeOptions(given?: HostedServicesModuleOptions): NormalizedHostingOptions {
  const options = optionsObject('options', given);
  knownKeys(options, KEYS);
  return {
    shutdownTimeout: timeout('shutdownTimeout', options.shutdownTimeout, DEFAULT_SHUTDOWN_TIMEOUT),
    startupTimeout: timeout('startupTimeout', options.startupTimeout, Infinity),
    servicesStartConcurrently: bool('servicesStartConcurrently', options.servicesStartConcurrently, false),
    servicesStopConcurrently: bool('servicesStopConcurrently', options.servicesStopConcurrently, false),
    backgroundServiceExceptionBehavior: oneOf(
      'backgroundServiceExceptionBehavior',
      options.backgroundServiceExceptionBehavior,
      BEHAVIORS,
      'stopHost',
    ),
    keepAlive: bool('keepAlive', options.keepAlive, true),
    logger: logger(options.logger),
  };
}

function logger(value: unknown): LoggerService | false {
  // No context on the instance: HostingLogger passes 'Hosting' as the last argument, as Nest itself
  // does, and a Logger that has its own context would print that argument as a second message.
  if (value === undefined) return new Logger();
  if (value === false) return false;
  return check('logger', value, isLoggerService, 'a Nest LoggerService (with log, error, warn) or false');
}

function isLoggerService(value: unknown): value is LoggerService {
  if (typeof value !== 'object' || value === null) return false;
  const { log, error, warn } = value as Record<string, unknown>;
  return typeof log === 'function' && typeof error === 'function' && typeof warn === 'function';
}
