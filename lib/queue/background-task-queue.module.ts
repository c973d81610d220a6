import { DynamicModule, InjectionToken, Module } from '@nestjs/common';
import { createQueueProviders } from './queue.providers';
import { normalizeTaskQueueOptions, TaskQueueOptions } from './task-queue.options';

export { getQueueToken, InjectQueue } from './queue-tokens';

/**
 * Registers a background task queue and its hosted consumer. Register several with different
 * names for independent queues; a name registered twice in one application fails at startup with
 * `DuplicateQueueError`. Needs `HostedServicesModule` (the consumer is a hosted service): without
 * it, the application fails to start with `QueueNotHostedError`. The module is global: inject the
 * queue anywhere.
 * @publicApi
 * @example
 * imports: [HostedServicesModule.forRoot(), BackgroundTaskQueueModule.register({ capacity: 100 }),
 *           BackgroundTaskQueueModule.register({ name: 'emails', concurrency: 4, onUnprocessed: persist })]
 */
@Module({})
export class BackgroundTaskQueueModule {
  static register(options: TaskQueueOptions = {}): DynamicModule {
    const providers = createQueueProviders(normalizeTaskQueueOptions(options));
    const exports = providers.slice(1).map((p) => (p as { provide: InjectionToken }).provide);
    return { module: BackgroundTaskQueueModule, global: true, providers, exports };
  }
}
