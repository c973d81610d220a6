import { Logger } from '@nestjs/common';
import { BackgroundService, Clock, HostedService } from '../../lib';

/**
 * The .NET Worker template: log once a second until asked to stop. The loop ends when the
 * stopping signal aborts (Ctrl+C, SIGTERM, or stopApplication()).
 */
@HostedService()
export class Worker extends BackgroundService {
  private readonly logger = new Logger(Worker.name);

  constructor(private readonly clock: Clock) {
    super();
  }

  protected async execute(stopping: AbortSignal): Promise<void> {
    while (!stopping.aborted) {
      this.logger.log(`Worker running at: ${new Date().toISOString()}`);
      // Rejects with the abort reason on stop: the host treats that as a normal end, not a fault.
      await this.clock.delay(1000, stopping);
    }
  }
}
