// The public API. Everything not exported here is internal and may change in any release.
export { HostedServicesModule } from './hosted-services.module';
export {
  BackgroundServiceExceptionBehavior,
  HostedServicesModuleAsyncOptions,
  HostedServicesModuleOptions,
  HostedServicesOptionsFactory,
} from './interfaces/hosting-options.interface';
export { HostedService, HostedServiceOptions } from './decorators/hosted-service.decorator';
export { HostedLifecycleHooks, HostedLifecycleService } from './interfaces/hosted-service.interface';
export { BackgroundService } from './services/background-service';
export { HostApplicationLifetime, LifetimeEvent, StopReason } from './lifecycle/application-lifetime';
export { HostState } from './lifecycle/host';
export { ExitCode } from './hosting.constants';
export { runHost } from './process/run-host';
export { Clock, SystemClock, TimerHandle } from './clock/clock';
export { FakeClock } from './clock/fake-clock';
export { PeriodicTimer } from './timing/periodic-timer';
export { PeriodicTimerOptions } from './timing/periodic-timer.options';
export { TimedBackgroundService, TimedRun } from './services/timed-background-service';
export { TimedServiceDependencies, TimedServiceOptions } from './services/timed-service.options';
export { ServiceScopeFactory } from './scope/service-scope-factory';
export { ServiceScope } from './scope/service-scope.interface';
export { UnitOfWork } from './scope/unit-of-work';
export { OnUnitOfWorkEnd } from './scope/on-unit-of-work-end.interface';
export { ScopeDisposalError } from './scope/scope-disposal.error';
export { ScopeDisposedError } from './scope/scope-disposed.error';
export { Channel } from './channel/channel';
export { ChannelReader } from './channel/channel-reader';
export { ChannelWriter } from './channel/channel-writer';
export { ChannelFullMode, ChannelOptions } from './channel/channel-options.interface';
export { ChannelClosedError } from './errors/channel-closed.error';
export { ChannelFullError } from './errors/channel-full.error';
export { BackgroundTaskQueue, TaskQueueStats } from './queue/background-task-queue';
export { BackgroundTaskQueueModule, getQueueToken, InjectQueue } from './queue/background-task-queue.module';
export { TaskQueueOptions } from './queue/task-queue.options';
export { EnqueueOptions, UnprocessedReason, UnprocessedWorkItem, WorkItem, WorkItemContext } from './queue/work-item';
export { QueueClosedError } from './errors/queue-closed.error';
export { QueueFullError } from './errors/queue-full.error';
export * from './errors';
