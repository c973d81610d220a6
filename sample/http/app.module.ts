import { Logger, Module } from '@nestjs/common';
import { BackgroundTaskQueueModule, HostedServicesModule, UnprocessedReason, UnprocessedWorkItem } from '../../lib';
import { OrderStore } from './order-store';
import { OrdersController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { QueueSummary } from './queue-summary.service';
import { ShutdownLog } from './shutdown-log.service';

const logger = new Logger('Orders');
// One store for the whole app, also reachable from onUnprocessed (a module option, outside DI).
const store = new OrderStore();

/**
 * Orders accepted (202) that will not be persisted here: not run by the shutdown deadline
 * ('shutdown') or still queued or running when a second signal forced the exit ('forced'; the
 * process ends about a second later, so a real app would write them somewhere durable, fast).
 * The label is the order id.
 */
function handBack(items: UnprocessedWorkItem[], reason: UnprocessedReason): void {
  for (const item of items) {
    store.set(item.label, 'handed-back');
    logger.warn(`handed back order ${item.label} (${reason}${item.started ? ', had started' : ''})`);
  }
}

@Module({
  imports: [
    HostedServicesModule.forRoot({ shutdownTimeout: Number(process.env.SHUTDOWN_MS ?? 10_000) }),
    BackgroundTaskQueueModule.register({
      capacity: Number(process.env.QUEUE_CAPACITY ?? 1_000),
      fullMode: 'reject', // an HTTP caller gets 429 rather than a request held open until there is room
      concurrency: Number(process.env.CONCURRENCY ?? 4),
      scopePerItem: true,
      onUnprocessed: handBack,
    }),
  ],
  controllers: [OrdersController],
  providers: [{ provide: OrderStore, useValue: store }, OrdersService, OrdersRepository, QueueSummary, ShutdownLog],
})
export class AppModule {}
