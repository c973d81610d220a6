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
export { Clock, SystemClock, TimerHandle } from './clock/clock';
export { FakeClock } from './clock/fake-clock';
export { PeriodicTimer } from './timing/periodic-timer';
export { PeriodicTimerOptions } from './timing/periodic-timer.options';
export * from './errors';
