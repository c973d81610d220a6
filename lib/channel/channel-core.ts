import { afterMicrotasks } from './after-microtasks';
import { channelClosedError } from '../errors/channel-closed.error';
import { ChannelFullMode } from './channel-options.interface';
import { ResolvedChannelOptions } from './resolve-channel-options';
import { RingBuffer } from './ring-buffer';
import { Waiter, WaiterList } from './waiter';

/** Does nothing; keeps an unobserved promise rejection from being reported as unhandled. */
const ignore = (): void => undefined;

/** Buffered items at which `waitToRead()` callers are woken at once rather than deferred. */
const WAKE_BATCH = 64;

/**
 * The state shared by a channel's reader and writer, and every transition of it. The reader and
 * writer add argument checks and promises on top.
 *
 * Invariants, which every method keeps before it returns or calls user code:
 * - `read()` calls wait only while the buffer is empty: a write hands its item straight to the
 *   first of them instead of buffering it. `waitToRead()` calls start waiting only on an empty
 *   buffer, and are woken as described at {@link ChannelCore.wakeReadWaiters}.
 * - Writers wait (in `writers` or `writeWaiters`) only while the buffer holds more than
 *   `lowWater` items, and `writers` is non-empty only in `'wait'` mode and before completion.
 * - Once `closed`, nothing enters the buffer; once `closed` and empty, `finished` is set and
 *   nobody waits.
 *
 * Blocked writers are woken in a batch when the buffer has drained to `lowWater` (half the
 * capacity) rather than one by one at every read. A lone producer then blocks once per
 * `capacity / 2` items instead of once per item. Waiting writers keep their FIFO order: a new
 * `write()` queues behind them even when there is room.
 * @internal
 */
export class ChannelCore<T> {
  readonly capacity: number;
  readonly fullMode: ChannelFullMode;
  readonly buffer = new RingBuffer<T>();
  /** Pending `read()` calls. */
  readonly readers = new WaiterList<T>();
  /** Pending `waitToRead()` calls. */
  readonly readWaiters = new WaiterList<boolean>();
  /** Pending `write()` calls in `'wait'` mode, each with its item (not yet in the channel). */
  readonly writers = new WaiterList<void, T>();
  /** Pending `waitToWrite()` calls. */
  readonly writeWaiters = new WaiterList<boolean>();
  /** Set by `complete()`: no more writes. */
  closed = false;
  /** Set once closed and drained: no more reads. */
  finished = false;
  /** The error `complete()` was given, if any. */
  error: unknown = undefined;
  /** See `ChannelReader.completion`. */
  readonly completion: Promise<void>;

  private readonly lowWater: number;
  private readonly dropsOldest: boolean;
  private readonly drops: boolean;
  private readonly onDrop: ((item: T) => void) | undefined;
  private settleCompletion!: (error: unknown) => void;
  private readonly wakeBatch: number;
  private wakeScheduled = false;

  constructor(options: ResolvedChannelOptions<T>) {
    this.capacity = options.capacity;
    this.fullMode = options.fullMode;
    this.lowWater = Math.floor(options.capacity / 2);
    this.wakeBatch = Math.min(WAKE_BATCH, options.capacity);
    this.dropsOldest = options.fullMode === 'dropOldest';
    this.drops = this.dropsOldest || options.fullMode === 'dropNewest';
    this.onDrop = options.onDrop;
    this.completion = new Promise<void>((resolve, reject) => {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the caller's error, as given
      this.settleCompletion = (error) => (error === undefined ? resolve() : reject(error));
    });
    // Nobody has to watch `completion`: a channel completed with an error must not crash the
    // process with an unhandled rejection. Callers who do await it still see the rejection.
    this.completion.catch(ignore);
  }

  /**
   * Accepts `item` now if the channel can: hands it to a waiting reader, buffers it, or (in a
   * drop mode) evicts another item for it. Returns `false` when closed, or full and not dropping.
   * @throws whatever `onDrop` throws, after `item` was accepted (see `ChannelOptions.onDrop`).
   */
  tryWrite(item: T): boolean {
    if (this.closed) return false;
    if (this.buffer.length < this.capacity && this.writers.isEmpty) {
      this.accept(item);
      return true;
    }
    if (!this.drops) return false;
    // Full (capacity >= 1), so the buffer is not empty and nobody is waiting to read.
    const dropped = (this.dropsOldest ? this.buffer.shift() : this.buffer.pop()) as T;
    this.buffer.push(item);
    this.onDrop?.(dropped);
    return true;
  }

  /** Whether `tryWrite` would accept an item now. */
  canWrite(): boolean {
    return !this.closed && (this.drops || (this.buffer.length < this.capacity && this.writers.isEmpty));
  }

  /** Removes and returns the oldest buffered item, or `undefined` when empty. */
  tryRead(): T | undefined {
    const item = this.buffer.shift();
    if (item !== undefined) this.afterRemove();
    return item;
  }

  /** Removes and returns every buffered item, oldest first. */
  drain(): T[] {
    const items = this.buffer.takeAll();
    if (items.length > 0) this.afterRemove();
    return items;
  }

  /** See `ChannelWriter.complete`. */
  complete(error: unknown): boolean {
    if (this.closed) return false;
    this.closed = true;
    this.error = error;
    // Their items were never accepted.
    this.writers.rejectAll(() => channelClosedError('waitingWrite', error));
    this.writeWaiters.resolveAll(false);
    if (this.buffer.length === 0) this.finish();
    return true;
  }

  /** Hands `item` to the first waiting `read()`, or buffers it and wakes `waitToRead()` callers. */
  private accept(item: T): void {
    const reader = this.readers.shift();
    if (reader !== undefined) {
      reader.resolve(item);
      return;
    }
    this.buffer.push(item);
    if (!this.readWaiters.isEmpty) this.wakeReadWaiters();
  }

  /**
   * Wakes `waitToRead()` callers now if {@link WAKE_BATCH} items (or a full buffer) are waiting
   * for them, otherwise once the current run of microtasks is over. Waking a consumer costs far
   * more than an item (a suspended async function resumes), and a producer that writes and awaits
   * in a loop would otherwise wake it once per item: deferring to `nextTick` lets it collect the
   * whole burst. Node's streams defer their `'readable'` event the same way.
   */
  private wakeReadWaiters(): void {
    if (this.buffer.length >= this.wakeBatch) this.readWaiters.resolveAll(true);
    else if (!this.wakeScheduled) {
      this.wakeScheduled = true;
      afterMicrotasks(this.wakeDeferred);
    }
  }

  /** The deferred half of {@link ChannelCore.wakeReadWaiters}; a field so that scheduling allocates nothing. */
  private readonly wakeDeferred = (): void => {
    this.wakeScheduled = false;
    // Other consumers may have emptied the buffer meanwhile; then there is nothing to wake for.
    if (this.buffer.length > 0) this.readWaiters.resolveAll(true);
  };

  /** Runs after items left the buffer: finishes a completed channel, or wakes blocked writers. */
  private afterRemove(): void {
    if (this.buffer.length > this.lowWater) return;
    if (this.closed) {
      if (this.buffer.length === 0) this.finish();
    } else if (!this.writers.isEmpty || !this.writeWaiters.isEmpty) {
      this.admitWriters();
    }
  }

  /** Moves waiting writers' items into the buffer, first come first served, up to capacity. */
  private admitWriters(): void {
    let writer: Waiter<void, T> | undefined;
    while (this.buffer.length < this.capacity && (writer = this.writers.shift()) !== undefined) {
      this.accept(writer.item);
      writer.resolve();
    }
    if (this.writers.isEmpty && this.buffer.length < this.capacity) this.writeWaiters.resolveAll(true);
  }

  /** Closed and drained: settles every pending read and the completion. */
  private finish(): void {
    this.finished = true;
    this.readers.rejectAll(() => channelClosedError('read', this.error));
    if (this.error === undefined) this.readWaiters.resolveAll(false);
    else this.readWaiters.rejectAll(() => this.error);
    this.settleCompletion(this.error);
  }
}
