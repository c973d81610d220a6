/**
 * Every user-facing message, as small factories, so wording lives in one place.
 * @internal
 */
export const Messages = {
  startTimeout: (ms: number, running: string) =>
    `Hosted services did not start within startupTimeout (${ms}ms); still starting: ${running}`,
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
  noRunner: (why: string) =>
    `The hosted services stopped (${why}), but nothing can close the Nest application: its teardown hooks do not run, and the process ends only if nothing else holds it open (an HTTP server or a microservice does), then with the run's exit code. Run the application with \`await runHost(app)\` (README: "Running an application"), or close it yourself`,
  tookOverShutdownHooks: (signals: readonly string[]) =>
    `runHost() handles ${signals.join(', ')} now: Nest's own shutdown hooks (enableShutdownHooks) were turned off`,
  secondRunner: () =>
    'runHost(app) is already running another application in this process: a process has one owner of its lifetime (a stop of one would end the other mid-stop). Run one application per process',
  forcedAfterStop: (signal: string) =>
    `Forced by a second ${signal} after the hosted services stopped: Nest's teardown (onApplicationShutdown, the servers' close) is cut short`,
  closeFailed: () => 'Closing the Nest application failed',
  closeTimedOut: (ms: number) =>
    `The Nest application did not close within ${ms}ms (shutdownTimeout plus a 1s grace for Nest's teardown): something in its teardown still runs (an HTTP request in flight keeps server.close() waiting: see forceCloseConnections); exiting anyway`,
  duplicateHostModule: (count: number, importers: string) =>
    `HostedServicesModule is imported ${count} times (${importers}), which would run every hosted service ${count} times: import HostedServicesModule.forRoot() once, in the root module (it is global, every module sees it)`,
  lazyHostedService: (name: string, module: string) =>
    `${name} is a @HostedService() in ${module}, loaded with LazyModuleLoader: Nest calls no lifecycle hook on a lazily loaded module, so the host could never start or stop it. Import ${module} in a module loaded at startup instead`,
  frozenTeardown: (names: string) =>
    `Cannot make the teardown hooks of ${names} wait for the hosted services to stop (the instance is frozen or sealed): they may run while hosted services still use them`,
} as const;
