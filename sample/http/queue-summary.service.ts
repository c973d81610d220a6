import { Logger } from '@nestjs/common';
import { BackgroundTaskQueue, Clock, HostedService, TimedBackgroundService, TimedRun } from '../../lib';

/** Every 5 s, or `SUMMARY_MS`: a one-line summary of the queue's counters. */
@HostedService()
export class QueueSummary extends TimedBackgroundService {
  private readonly logger = new Logger('QueueSummary');

  constructor(
    private readonly queue: BackgroundTaskQueue,
    clock: Clock,
  ) {
    super({ period: Number(process.env.SUMMARY_MS ?? 5_000), runOnStart: false }, { clock });
  }

  protected async doWork(_run: TimedRun): Promise<void> {
    const { accepted, succeeded, pending, running, handedBack } = this.queue.stats;
    this.logger.log(
      `accepted ${accepted}, done ${succeeded}, pending ${pending}, running ${running}, handed back ${handedBack}`,
    );
  }
}
