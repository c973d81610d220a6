import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock, WorkItem } from '../../lib';

const logger = new Logger('QueuedWork');

/**
 * The .NET sample's work item: three delays, logging each step, honouring the signal. A
 * cancelled item ends normally after logging "was cancelled" (it ran, and stopped on request).
 */
export function createWorkItem(clock: Clock, stepMs: number): { id: string; work: WorkItem } {
  const id = randomUUID().slice(0, 8);
  const work: WorkItem = async (signal) => {
    logger.log(`Queued Background Task ${id} is starting.`);
    for (let step = 1; step <= 3; step++) {
      try {
        await clock.delay(stepMs, signal);
      } catch {
        logger.log(`Queued Background Task ${id} was cancelled.`);
        return;
      }
      logger.log(`Queued Background Task ${id} is running. ${step}/3`);
    }
    logger.log(`Queued Background Task ${id} is complete.`);
  };
  return { id, work };
}
