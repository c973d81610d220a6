import { HostingError } from './hosting-error';

/**
 * Thrown (as a rejection) by `writer.write()` on a full channel whose `fullMode` is `'reject'`.
 * Code `HOSTING_CHANNEL_FULL`. The item was not written.
 * @publicApi
 * @example if (isHostingError(err, 'HOSTING_CHANNEL_FULL')) metrics.rejected++;
 */
export class ChannelFullError extends HostingError {
  /** The capacity of the channel that refused the item. */
  readonly capacity: number;

  constructor(capacity: number) {
    super('HOSTING_CHANNEL_FULL', `Cannot write: the channel is full (capacity ${capacity}, fullMode 'reject')`);
    this.capacity = capacity;
  }
}
