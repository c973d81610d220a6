/**
 * Every user-facing message, as small factories, so wording lives in one place.
 * @internal
 */
export const Messages = {
  startTimeout: (ms: number, running: string) => `Hosted services did not start within startupTimeout (${ms}ms); still starting: ${running}`,
  startCancelled: (reason: string) => `Startup of the hosted services was cancelled: ${reason}`,
  startFailed: (count: number) => `${count} hosted services failed to start`,
  stopFailed: (count: number) => `${count} hosted services failed to stop`,
  notHostedService: (name: string, missing: string) =>
    `@HostedService() class ${name} has no ${missing}() method: implement HostedService (start(signal) and stop(signal)) or extend BackgroundService`,
  scopedHostedService: (name: string) =>
    `Hosted service ${name} is not a singleton (it is request-scoped, transient, or depends on a request-scoped provider). A hosted service lives as long as the application: inject ServiceScopeFactory and create a scope per unit of work instead`,
  invalidState: (action: string, state: string) => `Cannot ${action} the host while it is ${state}`,
  backgroundFaulted: (name: string) => `Background service ${name} failed`,
  stoppingHost: (name: string) =>
    `Background service ${name} failed and backgroundServiceExceptionBehavior is 'stopHost': the application is stopping (set it to 'ignore' to keep running; the service is not restarted either way)`,
  noShutdownHooks: () =>
    'The hosted services were stopped, but the Nest application is still open: call app.enableShutdownHooks() so that stopping closes it and sets the exit code, or close it yourself',
} as const;
