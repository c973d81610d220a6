import { ChannelCore } from './channel-core';
import { badSignal } from './bad-signal';
import { channelClosedError } from '../errors/channel-closed.error';
import { ChannelIterator } from './channel-iterator';
import { RESOLVED_FALSE, RESOLVED_TRUE, rejected } from './settled';
import { Waiter } from './waiter';

/**
 * The reading half of a {@link Channel}. Any number of consumers may share it: each item goes to
 * exactly one of them, in the order items were accepted, and waiting `read()` calls are served
 * first come first served.
 *
 * Every promise-returning method checks `signal` first: an already-aborted signal rejects with
 * `signal.reason` and consumes nothing, even when an item is available.
 * @publicApi
 */
export class ChannelReader<T> implements AsyncIterable<T> {
  /** @internal Obtain a reader from `new Channel()`. */
  constructor(private readonly core: ChannelCore<T>) {}

  /** Number of items buffered. Items held by waiting writers are not counted. */
  get count(): number {
    return this.core.buffer.length;
  }

  /**
   * Settles once the channel is completed and every buffered item has been read or drained:
   * resolves, or rejects with the error given to `writer.complete(error)`. A rejection nobody
   * observes is not reported as unhandled (the channel attaches its own no-op handler).
   */
  get completion(): Promise<void> {
    return this.core.completion;
  }

  /**
   * Removes and returns the oldest item, waiting for one if the channel is empty.
   *
   * Rejects with `ChannelClosedError` (whose `cause` is the completion error, if any) once the
   * channel is completed and drained, and with `signal.reason` if `signal` aborts first. An
   * aborted read never consumes an item: when delivery and abort race, whichever happens first
   * wins and the other has no effect.
   *
   * Like any promise, the one returned adopts an item that is itself a thenable; `tryRead()`
   * returns such items untouched. A reader waiting in `read()` is woken once per item: a hot
   * consumer loop should prefer `waitToRead()` + `tryRead()` (or `for await`).
   * @example const job = await channel.reader.read(stoppingSignal);
   */
  read(signal?: AbortSignal): Promise<T> {
    const invalid = badSignal(signal);
    if (invalid) return invalid;
    if (signal?.aborted) return rejected(signal.reason);
    const item = this.core.tryRead();
    if (item !== undefined) return Promise.resolve(item);
    if (this.core.finished) return Promise.reject(channelClosedError('read', this.core.error));
    return new Waiter<T>(this.core.readers, undefined, signal).promise;
  }

  /** Removes and returns the oldest buffered item, or `undefined` if there is none. */
  tryRead(): T | undefined {
    return this.core.tryRead();
  }

  /**
   * Waits until an item is available, without taking it. Resolves `true` when an item is buffered
   * (another consumer may still take it first, so follow with `tryRead()`), `false` once the
   * channel is completed and drained. As in .NET, when the channel was completed with an error it
   * rejects with that error itself (not wrapped), so that a consumer loop ends with it.
   *
   * A wait on an empty channel ends once the current run of microtasks is over (`nextTick`), or at
   * once when 64 items or a full buffer are waiting: a consumer then takes a producer's whole
   * burst in one wake-up instead of one per item. `read()` calls are not deferred.
   * @example while (await reader.waitToRead(signal)) { let item; while ((item = reader.tryRead()) !== undefined) handle(item); }
   */
  waitToRead(signal?: AbortSignal): Promise<boolean> {
    const invalid = badSignal(signal);
    if (invalid) return invalid;
    if (signal?.aborted) return rejected(signal.reason);
    if (this.core.buffer.length > 0) return RESOLVED_TRUE;
    if (this.core.finished) return this.core.error === undefined ? RESOLVED_FALSE : rejected(this.core.error);
    return new Waiter<boolean>(this.core.readWaiters, undefined, signal).promise;
  }

  /**
   * Removes and returns every buffered item at once, oldest first (empty array if none). Use it
   * to take back unprocessed items at shutdown, after `writer.complete()`: without that, writers
   * waiting for room are admitted as soon as it is made.
   */
  drain(): T[] {
    return this.core.drain();
  }

  /**
   * Yields items oldest first until the channel is completed and drained, then returns; throws
   * the completion error if the channel was completed with one, and `signal.reason` once `signal`
   * aborts (checked before each item is taken, so an abort loses no item). Breaking out of the
   * loop leaves the remaining items in the channel.
   * @example for await (const job of channel.reader.readAll(stoppingSignal)) await run(job);
   */
  readAll(signal?: AbortSignal): AsyncIterableIterator<T, undefined, undefined> {
    return new ChannelIterator(this, signal);
  }

  /** Same as `readAll()` without a signal: `for await (const item of channel.reader)`. */
  [Symbol.asyncIterator](): AsyncIterableIterator<T, undefined, undefined> {
    return this.readAll();
  }
}
