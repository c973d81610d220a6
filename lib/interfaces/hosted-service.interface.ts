/**
 * A service whose lifetime the host manages: started in order once the application has
 * bootstrapped, stopped in reverse when it shuts down. The .NET `IHostedService`.
 *
 * Both methods may be sync or async. The signal passed to `start` aborts when startup is cancelled
 * (startup timeout, a shutdown signal, a fault elsewhere); the signal passed to `stop` aborts when
 * the shutdown deadline is reached, i.e. when stopping should no longer be graceful.
 * @publicApi
 */
export interface HostedService {
  start(signal: AbortSignal): void | Promise<void>;
  stop(signal: AbortSignal): void | Promise<void>;
}

/**
 * Optional hooks around start and stop (the .NET `IHostedLifecycleService`). Each phase is a
 * barrier across all services: every `starting` completes before any `start` begins, every `start`
 * before any `started`; likewise `stopping`, `stop`, `stopped` on the way down.
 * @publicApi
 */
export interface HostedLifecycleHooks {
  starting?(signal: AbortSignal): void | Promise<void>;
  started?(signal: AbortSignal): void | Promise<void>;
  stopping?(signal: AbortSignal): void | Promise<void>;
  stopped?(signal: AbortSignal): void | Promise<void>;
}

/**
 * A hosted service that implements some of the lifecycle hooks.
 * @publicApi
 */
export type HostedLifecycleService = HostedService & HostedLifecycleHooks;
