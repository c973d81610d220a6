import { HostingError } from './hosting-error';

/**
 * Thrown (as a rejection) by a write to a channel that was completed, by a writer still waiting
 * when the channel was completed, and by a read once the channel is completed and drained. Code
 * `HOSTING_CHANNEL_CLOSED`. When the channel was completed with an error, that error is the
 * `cause`.
 * @publicApi
 * @example if (isHostingError(err, 'HOSTING_CHANNEL_CLOSED')) return; // no more items
 */
export class ChannelClosedError extends HostingError {
  constructor(message = 'The channel is closed', options?: { cause?: unknown }) {
    super('HOSTING_CHANNEL_CLOSED', message, options);
  }
}

const MESSAGES = {
  read: 'Cannot read: the channel is completed and has no more items',
  write: 'Cannot write: the channel is completed',
  waitingWrite: 'The channel was completed while the write was waiting; the item was not written',
} as const;

/**
 * A fresh {@link ChannelClosedError} (never a shared instance: each has its own stack) for the
 * given situation, caused by the completion error if there was one.
 * @internal
 */
export function channelClosedError(situation: keyof typeof MESSAGES, completionError: unknown): ChannelClosedError {
  return new ChannelClosedError(
    MESSAGES[situation],
    completionError === undefined ? undefined : { cause: completionError },
  );
}
