import { HostingError } from './hosting-error';

/**
 * The queue no longer accepts items: the application is stopping. The item was not accepted;
 * the caller still owns it (persist it, or process it elsewhere).
 * @publicApi
 */
export class QueueClosedError extends HostingError {
  constructor(queue: string) {
    super(
      'HOSTING_QUEUE_CLOSED',
      `Queue "${queue}" is closed: the application is stopping and accepts no new work items`,
    );
  }
}
