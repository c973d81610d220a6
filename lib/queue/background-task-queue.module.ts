import { DynamicModule, Inject, Module, Provider } from '@nestjs/common';
import { InvalidOptionError } from '../errors/invalid-option.error';
import { HostingLogger } from '../hosting.logger';
import { HostApplicationLifetime } from '../lifecycle/application-lifetime';
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
        useFactory: (scopes?: ServiceScopeFactory, lifetime?: HostApplicationLifetime, log?: HostingLogger) => {
          if (normalized.scopePerItem && !scopes) {
            // Without it every item would silently run unscoped.
            throw new InvalidOptionError('scopePerItem', 'false unless HostedServicesModule (which provides ServiceScopeFactory) is imported', true);
          }
          // Drops happen only once items are enqueued, after `consumer` is set.
          const queue = new TaskQueue(normalized, (item) => void consumer.handBackDropped(item)); // never rejects: logged inside
          const consumer = new QueuedHostedService(queue, scopes, log);
          // Stop accepting work as soon as the application begins stopping, before any service stops.
          lifetime?.onStopping(() => queue.close());
          // A failed or cancelled start may never have started the consumer: hand back what it holds.
          lifetime?.onStopped(() => void consumer.stopIfNeverStarted()); // never rejects: logged inside
          return consumer;
        },
        inject: [
          { token: ServiceScopeFactory, optional: true },
          { token: HostApplicationLifetime, optional: true },
          { token: HostingLogger, optional: true },
        ],
      },
      { provide: token, useFactory: (consumer: QueuedHostedService) => consumer.queue, inject: [consumerToken] },
    ];
    if (normalized.name === 'default') providers.push({ provide: BackgroundTaskQueue, useExisting: token });
    return { module: BackgroundTaskQueueModule, global: true, providers, exports: providers.slice(1).map((p) => (p as { provide: unknown }).provide as string) };
  }
}
