import { Logger, Module } from '@nestjs/common';
import { BackgroundTaskQueueModule, HostedServicesModule, UnprocessedWorkItem } from '../../lib';
import { MonitorLoop } from './monitor-loop.service';

const logger = new Logger('Queue');

/**
 * Where accepted items that will not complete go: not run by the shutdown deadline ('shutdown'),
 * or still queued or running when a second Ctrl+C forced the exit ('forced'). A real app would
 * persist them (quickly, for 'forced': the process ends about a second later).
 */
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
