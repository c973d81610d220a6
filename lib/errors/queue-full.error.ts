import { HostingError } from './hosting-error';

/**
 * The queue is full and its `fullMode` is `'reject'`. The item was not accepted.
 * @publicApi
 */
export class QueueFullError extends HostingError {
  constructor(queue: string, capacity: number) {
    super('HOSTING_QUEUE_FULL', `Queue "${queue}" is full (capacity ${capacity}); the work item was rejected`);
  }
}
