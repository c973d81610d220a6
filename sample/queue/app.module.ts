import { Logger, Module } from '@nestjs/common';
import { BackgroundTaskQueueModule, HostedServicesModule, UnprocessedWorkItem } from '../../lib';
import { MonitorLoop } from './monitor-loop.service';

const logger = new Logger('Queue');

/** Where items that could not run before the deadline go: a real app would persist them. */
function handBack(items: UnprocessedWorkItem[], reason: string): void {
  for (const item of items) logger.warn(`handed back ${item.label} (${reason}${item.started ? ', had started' : ''})`);
}

@Module({
  imports: [
    HostedServicesModule.forRoot({ shutdownTimeout: Number(process.env.SHUTDOWN_MS ?? 10_000) }),
    BackgroundTaskQueueModule.register({
      capacity: Number(process.env.QUEUE_CAPACITY ?? 100),
      concurrency: Number(process.env.CONCURRENCY ?? 1),
      onUnprocessed: handBack,
    }),
  ],
  providers: [MonitorLoop],
})
export class AppModule {}
