import { Provider } from '@nestjs/common';
import { DuplicateQueueError } from '../errors/duplicate-queue.error';
import { QueueNotHostedError } from '../errors/queue-not-hosted.error';
import { HostingLogger } from '../hosting.logger';
import { HostApplicationLifetime } from '../lifecycle/application-lifetime';
import { ForcedExitHooks } from '../process/forced-exit';
import { ServiceScopeFactory } from '../scope/service-scope-factory';
import { BackgroundTaskQueue, TaskQueue } from './background-task-queue';
import { QueueRegistry } from './queue-registry';
import { getQueueConsumerToken, getQueueToken } from './queue-tokens';
import { QueuedHostedService } from './queued-hosted-service';
import { NormalizedTaskQueueOptions } from './task-queue.options';

/**
 * The providers of one queue: its hosted consumer (under an internal token), the queue itself
 * (under {@link getQueueToken}), and, for the default queue, the `BackgroundTaskQueue` class token.
 * The first is internal; the others are what the module exports.
 * @internal
 */
export function createQueueProviders(options: NormalizedTaskQueueOptions): Provider[] {
  const token = getQueueToken(options.name);
  const consumerToken = getQueueConsumerToken(options.name);
  const providers: Provider[] = [
    {
      provide: consumerToken,
      useFactory: (...deps: ConsumerDeps) => createConsumer(options, ...deps),
      // All optional, so that a missing HostedServicesModule gets our error rather than Nest's.
      inject: [QueueRegistry, ServiceScopeFactory, HostApplicationLifetime, HostingLogger, ForcedExitHooks].map(
        (t) => ({ token: t, optional: true }),
      ),
    },
    { provide: token, useFactory: (consumer: QueuedHostedService) => consumer.queue, inject: [consumerToken] },
  ];
  if (options.name === 'default') providers.push({ provide: BackgroundTaskQueue, useExisting: token });
  return providers;
}

type ConsumerDeps = [
  registry: QueueRegistry | undefined,
  scopes: ServiceScopeFactory | undefined,
  lifetime: HostApplicationLifetime | undefined,
  log: HostingLogger | undefined,
  forcedExit: ForcedExitHooks | undefined,
];

function createConsumer(
  options: NormalizedTaskQueueOptions,
  ...[registry, scopes, lifetime, log, forcedExit]: ConsumerDeps
): QueuedHostedService {
  // Without the host nothing would run the items, nor hand them back: refuse to start instead.
  // HostedServicesModule provides the registry and everything else injected here.
  if (!registry) throw new QueueNotHostedError(options.name);
  if (!registry.claim(options.name)) throw new DuplicateQueueError(options.name);
  // Drops happen only once items are enqueued, after `consumer` is set.
  const queue = new TaskQueue(options, (item) => void consumer.handBackDropped(item)); // never rejects: logged inside
  const consumer = new QueuedHostedService(queue, scopes, log);
  // Stop accepting work as soon as the application begins stopping, before any service stops.
  lifetime?.onStopping(() => queue.close());
  // A failed or cancelled start may never have started the consumer: hand back what it holds.
  lifetime?.onStopped(() => void consumer.stopIfNeverStarted()); // never rejects: logged inside
  if (forcedExit) consumer.joinForcedExit(forcedExit);
  return consumer;
}
