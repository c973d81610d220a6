import { DynamicModule, Inject, Logger, LoggerService, Module, Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HOSTING_OPTIONS } from '../hosting.constants';
import { HostApplicationLifetime } from '../lifecycle/application-lifetime';
import { NormalizedHostingOptions } from '../options/normalize-options';
import { ServiceScopeFactory } from '../scope/service-scope-factory';
import { BackgroundTaskQueue, TaskQueue } from './background-task-queue';
import { QueuedHostedService } from './queued-hosted-service';
import { normalizeTaskQueueOptions, TaskQueueOptions } from './task-queue.options';

/**
 * The injection token of the queue named `name`.
 * @publicApi
 */
export function getQueueToken(name = 'default'): string {
  return `HOSTING:QUEUE:${name}`;
}

/**
 * Injects the queue named `name` (registered with `BackgroundTaskQueueModule.register({ name })`).
 * The default queue can also be injected by its class, `BackgroundTaskQueue`.
 * @publicApi
 */
export const InjectQueue = (name = 'default'): ParameterDecorator & PropertyDecorator => Inject(getQueueToken(name));

/**
 * Registers a background task queue and its hosted consumer. Register several with different
 * names for independent queues. Needs `HostedServicesModule` (the consumer is a hosted service).
 * The module is global: inject the queue anywhere.
 * @publicApi
 * @example
 * imports: [HostedServicesModule.forRoot(), BackgroundTaskQueueModule.register({ capacity: 100 }),
 *           BackgroundTaskQueueModule.register({ name: 'emails', concurrency: 4, onUnprocessed: persist })]
 */
@Module({})
export class BackgroundTaskQueueModule {
  static register(options: TaskQueueOptions = {}): DynamicModule {
    const normalized = normalizeTaskQueueOptions(options);
    const token = getQueueToken(normalized.name);
    const consumerToken = `${token}:CONSUMER`;
    const providers: Provider[] = [
      {
        provide: consumerToken,
        useFactory: (moduleRef: ModuleRef, scopes?: ServiceScopeFactory, lifetime?: HostApplicationLifetime) => {
          // Drops happen only once items are enqueued, after `consumer` is set.
          const queue = new TaskQueue(normalized, (item) => void consumer.handBackDropped(item)); // never rejects: logged inside
          const consumer = new QueuedHostedService(queue, scopes, hostingLogger(moduleRef));
          // Stop accepting work as soon as the application begins stopping, before any service stops.
          lifetime?.onStopping(() => queue.close());
          // A failed or cancelled start may never have started the consumer: hand back what it holds.
          lifetime?.onStopped(() => void consumer.stopIfNeverStarted()); // never rejects: logged inside
          return consumer;
        },
        inject: [ModuleRef, { token: ServiceScopeFactory, optional: true }, { token: HostApplicationLifetime, optional: true }],
      },
      { provide: token, useFactory: (consumer: QueuedHostedService) => consumer.queue, inject: [consumerToken] },
    ];
    if (normalized.name === 'default') providers.push({ provide: BackgroundTaskQueue, useExisting: token });
    return { module: BackgroundTaskQueueModule, global: true, providers, exports: providers.slice(1).map((p) => (p as { provide: unknown }).provide as string) };
  }
}

/**
 * The `logger` of `HostedServicesModule` (a `LoggerService`, or `false` for silence), looked up at
 * first use: `HOSTING_OPTIONS` is not exported by that module, so it cannot be injected here (an
 * optional injection of it always got `undefined`, and the queue logged to Nest's default logger).
 * Every provider exists by the time the queue first logs; until the options are found (or without
 * `HostedServicesModule`), Nest's `Logger` is used.
 */
function hostingLogger(moduleRef: ModuleRef): LoggerService {
  let resolved: LoggerService | false | undefined;
  const target = (): LoggerService | false => {
    if (resolved !== undefined) return resolved;
    try {
      const options = moduleRef.get<NormalizedHostingOptions>(HOSTING_OPTIONS, { strict: false });
      if (options?.logger !== undefined) return (resolved = options.logger);
    } catch {
      // not registered (or not created yet): fall through
    }
    return new Logger();
  };
  const forward =
    (level: 'log' | 'warn' | 'error') =>
    (message: unknown, ...rest: unknown[]): void => {
      const logger = target();
      if (logger) logger[level](message, ...rest);
    };
  return { log: forward('log'), warn: forward('warn'), error: forward('error') };
}
