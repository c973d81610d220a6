import { InjectionToken, LoggerService, ModuleMetadata, OptionalFactoryDependency, Type } from '@nestjs/common';

/**
 * What the host does when a {@link BackgroundService}'s `execute` rejects before shutdown.
 * - `'stopHost'`: log it, then stop the whole application gracefully; the process exits non-zero.
 * - `'ignore'`: log it and keep running (the failed service is not restarted).
 * @publicApi
 */
export type BackgroundServiceExceptionBehavior = 'stopHost' | 'ignore';

/**
 * Options of {@link HostedServicesModule.forRoot}. Every value is validated at module creation;
 * a bad one throws an `InvalidOptionError` (a `TypeError`) naming it.
 * @publicApi
 */
export interface HostedServicesModuleOptions {
  /**
   * One budget, in ms, for the whole stop of every hosted service. When it runs out, the signals
   * passed to `stop` abort, the host stops waiting, still calls `stop` on every remaining service,
   * and logs which services did not finish. `Infinity` waits forever (not recommended).
   * @default 30_000
   */
  shutdownTimeout?: number;
  /**
   * Budget, in ms, for the whole start. When it runs out, startup is cancelled, the services that
   * did start are stopped in reverse, and `app.init()` rejects with a `HostStartTimeoutError`.
   * @default Infinity (no limit)
   */
  startupTimeout?: number;
  /** Run each start phase across all services concurrently, collecting every error. @default false */
  servicesStartConcurrently?: boolean;
  /** Run each stop phase across all services concurrently. @default false */
  servicesStopConcurrently?: boolean;
  /** See {@link BackgroundServiceExceptionBehavior}. @default 'stopHost' */
  backgroundServiceExceptionBehavior?: BackgroundServiceExceptionBehavior;
  /**
   * Keep the process alive while hosted services run, until the application stops (as .NET's
   * `host.Run()` does). Turn it off to let Node exit once nothing else is pending.
   * @default true
   */
  keepAlive?: boolean;
  /**
   * Where everything the library logs goes (context `Hosting`): the host, the task queues and the
   * timed services. A Nest `LoggerService`, or `false` for silence.
   * @default a Nest `Logger` with context `Hosting`
   */
  logger?: LoggerService | false;
}

/**
 * Creates {@link HostedServicesModuleOptions} for `forRootAsync({ useClass | useExisting })`.
 * @publicApi
 */
export interface HostedServicesOptionsFactory {
  createHostedServicesOptions(): HostedServicesModuleOptions | Promise<HostedServicesModuleOptions>;
}

/**
 * Options of {@link HostedServicesModule.forRootAsync}: exactly one of `useFactory`, `useClass`,
 * `useExisting`.
 * @publicApi
 */
export interface HostedServicesModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  // Same shape as Nest's own `FactoryProvider`: the factory's arguments come from `inject`.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useFactory?: (...args: any[]) => HostedServicesModuleOptions | Promise<HostedServicesModuleOptions>;
  inject?: Array<InjectionToken | OptionalFactoryDependency>;
  useClass?: Type<HostedServicesOptionsFactory>;
  useExisting?: Type<HostedServicesOptionsFactory>;
}
