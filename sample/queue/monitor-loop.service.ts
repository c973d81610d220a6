import { Logger } from '@nestjs/common';
import { BackgroundService, BackgroundTaskQueue, Clock, HostedService, isHostingError } from '../../lib';
import { createWorkItem } from './work-item.factory';

/**
 * The .NET MonitorLoop: press `w` to queue a work item (Ctrl+C to stop). Without a terminal
 * (AUTO_ENQUEUE=n), it queues n items on its own, one every ENQUEUE_EVERY_MS, and keeps going
 * until the queue refuses them because the application is stopping.
 */
@HostedService()
export class MonitorLoop extends BackgroundService {
  private readonly logger = new Logger(MonitorLoop.name);
  private readonly stepMs = Number(process.env.STEP_MS ?? 5000);

  constructor(
    private readonly queue: BackgroundTaskQueue,
    private readonly clock: Clock,
  ) {
    super();
  }

  protected async execute(stopping: AbortSignal): Promise<void> {
    const auto = process.env.AUTO_ENQUEUE;
    if (auto !== undefined) return this.autoEnqueue(Number(auto), Number(process.env.ENQUEUE_EVERY_MS ?? 0), stopping);
    if (!process.stdin.isTTY) {
      this.logger.warn('No terminal: set AUTO_ENQUEUE=<n> to queue work items automatically.');
      return;
    }
    this.logger.log('Tap W to add a work item to the background queue; Ctrl+C to stop.');
    await this.readKeys(stopping);
  }

  private async enqueue(signal: AbortSignal): Promise<boolean> {
    const { id, work } = createWorkItem(this.clock, this.stepMs);
    try {
      await this.queue.enqueue(work, { label: id, signal });
      this.logger.log(`accepted ${id}`);
      return true;
    } catch (error) {
      if (isHostingError(error, 'HOSTING_QUEUE_CLOSED') || signal.aborted) return false;
      throw error;
    }
  }

  private async autoEnqueue(count: number, everyMs: number, stopping: AbortSignal): Promise<void> {
    for (let i = 0; i < count && !stopping.aborted; i++) {
      if (!(await this.enqueue(stopping))) return;
      if (everyMs > 0) await this.clock.delay(everyMs, stopping).catch(() => undefined);
    }
  }

  private async readKeys(stopping: AbortSignal): Promise<void> {
    const stdin = process.stdin;
    stdin.setRawMode(true);
    stdin.resume();
    const onKey = (key: Buffer): void => {
      const char = key.toString();
      // In raw mode the terminal no longer turns Ctrl+C into SIGINT: do it, so it behaves as usual.
      if (char === '\u0003') process.kill(process.pid, 'SIGINT');
      else if (char.toLowerCase() === 'w') void this.enqueue(stopping); // logs its own outcome; never rejects for a closed queue
    };
    stdin.on('data', onKey);
    if (!stopping.aborted)
      await new Promise<void>((resolve) => stopping.addEventListener('abort', () => resolve(), { once: true }));
    stdin.off('data', onKey);
    stdin.setRawMode(false);
    stdin.pause();
  }
}
