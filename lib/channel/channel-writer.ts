import { ChannelCore } from './channel-core';
import { badSignal } from './bad-signal';
import { channelClosedError } from '../errors/channel-closed.error';
import { ChannelFullError } from '../errors/channel-full.error';
import { undefinedItemError } from './resolve-channel-options';
import { RESOLVED, RESOLVED_FALSE, RESOLVED_TRUE, rejected } from './settled';
import { Waiter } from './waiter';

/**
 * The writing half of a {@link Channel}. Any number of producers may share it.
 *
 * An item is *accepted* when it enters the channel (handed to a waiting reader or buffered); from
 * then on it is read, drained, or (drop modes) passed to `onDrop`, exactly once. Items must not
 * be `undefined`.
 *
 * Every promise-returning method checks `signal` first: an already-aborted signal rejects with
 * `signal.reason`, and the item is not written even if there is room.
 * @publicApi
 */
export class ChannelWriter<T> {
  /** @internal Obtain a writer from `new Channel()`. */
  constructor(private readonly core: ChannelCore<T>) {}

  /**
   * Writes `item`, resolving once it is accepted.
   * - Room, or a drop mode: accepted at once (the same settled promise every time: no allocation).
   * - Full, `'wait'` mode: waits, behind earlier waiting writers (FIFO), until readers make room.
   *   Waiting writers are admitted together once the buffer has drained to half its capacity.
   * - Full, `'reject'` mode: rejects with `ChannelFullError`.
   *
   * Rejects with `ChannelClosedError` after `complete()`, including when completion happens while
   * the write waits. Rejects with `signal.reason` if `signal` aborts while the write waits. A
   * rejected write never leaves its item in the channel (the one exception: a throwing `onDrop`,
   * see `ChannelOptions.onDrop`). Writing `undefined` rejects with `InvalidOptionError`.
   * @example await channel.writer.write(job, signal); // backpressure: waits while full
   */
  write(item: T, signal?: AbortSignal): Promise<void> {
    if (item === undefined) return Promise.reject(undefinedItemError());
    const invalid = badSignal(signal);
    if (invalid) return invalid;
    if (signal?.aborted) return rejected(signal.reason);
    try {
      if (this.core.tryWrite(item)) return RESOLVED;
    } catch (error) {
      // Only a throwing onDrop gets here; a promise-returning method must not throw.
      return rejected(error);
    }
    if (this.core.closed) return Promise.reject(channelClosedError('write', this.core.error));
    if (this.core.fullMode === 'reject') return Promise.reject(new ChannelFullError(this.core.capacity));
    return new Waiter<void, T>(this.core.writers, item, signal).promise;
  }

  /**
   * Writes `item` if it can be accepted now. Returns `false` when the channel is completed, or
   * full in `'wait'`/`'reject'` mode (in `'wait'` mode, also while earlier writers still wait).
   * @throws InvalidOptionError when `item` is `undefined`.
   */
  tryWrite(item: T): boolean {
    if (item === undefined) throw undefinedItemError();
    return this.core.tryWrite(item);
  }

  /**
   * Resolves `true` once `tryWrite()` would accept an item (another producer may still take the
   * room first), `false` once the channel is completed (even completed with an error: that error
   * is for readers). Like writes, it waits until the buffer has drained to half its capacity.
   */
  waitToWrite(signal?: AbortSignal): Promise<boolean> {
    const invalid = badSignal(signal);
    if (invalid) return invalid;
    if (signal?.aborted) return rejected(signal.reason);
    if (this.core.closed) return RESOLVED_FALSE;
    if (this.core.canWrite()) return RESOLVED_TRUE;
    return new Waiter<boolean>(this.core.writeWaiters, undefined, signal).promise;
  }

  /**
   * Marks the channel as complete: no more writes. Readers still get the buffered items; after
   * them, reads reject with `ChannelClosedError` and `completion` settles. Writers waiting for room
   * are rejected with `ChannelClosedError` (their items were never accepted). With an `error`,
   * `completion`, `waitToRead()` and iteration reject with it, and it is the `cause` of the
   * `ChannelClosedError`s. Returns `false` (and changes nothing) if already completed.
   */
  complete(error?: unknown): boolean {
    return this.core.complete(error);
  }
}
