import { Channel } from '../channel/channel';
import { ChannelClosedError } from '../errors/channel-closed.error';
import { ChannelFullError } from '../errors/channel-full.error';
import { InvalidOptionError } from '../errors/invalid-option.error';
import { QueueClosedError } from '../errors/queue-closed.error';
import { QueueFullError } from '../errors/queue-full.error';
import { isAbortSignal } from '../utils/abort';
import { NormalizedTaskQueueOptions } from './task-queue.options';
import { EnqueueOptions, QueuedItem, WorkItem } from './work-item';

/**
 * Counters of a queue. At any moment `accepted = succeeded + failed + handedBack + pending +
 * running`; once the queue has stopped, `pending` and `running` are 0, so every accepted item was
 * either processed or handed back. Each item is counted once: an item handed back while it was
 * running no longer counts as running, and is not counted again if it finishes later.
 * @publicApi
 */
export interface TaskQueueStats {
  readonly accepted: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Handed to `onUnprocessed`: dropped by a full mode, not run by the shutdown deadline, or forced. */
  readonly handedBack: number;
  /** Of `handedBack`, those handed back on a forced exit (a second signal). */
  readonly forced: number;
  readonly pending: number;
  /** Items running that the queue still answers for (not yet handed back). */
  readonly running: number;
}

const ACCEPTED = Promise.resolve();

/**
 * A queue of background work items, run FIFO by a hosted consumer (the .NET
 * `IBackgroundTaskQueue`, with backpressure, full modes and nothing lost at shutdown). Inject the
 * default queue as `BackgroundTaskQueue`, a named one with `@InjectQueue(name)`.
 * @publicApi
 * @example
 * constructor(private readonly queue: BackgroundTaskQueue) {}
 * await this.queue.enqueue(async (signal) => sendMail(order, signal), { label: `mail ${order.id}` });
 */
export abstract class BackgroundTaskQueue {
  /** The queue's name (`'default'` unless registered with one). */
  abstract readonly name: string;
  /** Whether the queue has stopped accepting items (the application is stopping). */
  abstract readonly closed: boolean;
  /** The counters; see {@link TaskQueueStats}. */
  abstract readonly stats: TaskQueueStats;
  /**
   * Accepts `work`. Resolves once it is queued: at once, or, in `'wait'` mode, when there is room
   * (rejecting with `options.signal`'s reason if that aborts first: the item is then not queued).
   * Rejects with `QueueClosedError` once the application is stopping, `QueueFullError` when full
   * in `'reject'` mode, and `InvalidOptionError` if `work` is not a function.
   */
  abstract enqueue(work: WorkItem, options?: EnqueueOptions): Promise<void>;
  /** Accepts `work` only if that needs no waiting; false when full (`'wait'`/`'reject'`) or closed. */
  abstract tryEnqueue(work: WorkItem, options?: EnqueueOptions): boolean;
}

/**
 * The in-memory queue: a bounded channel plus the counters.
 * @internal
 */
export class TaskQueue extends BackgroundTaskQueue {
  readonly channel: Channel<QueuedItem>;
  readonly name: string;
  #closed = false;
  accepted = 0;
  succeeded = 0;
  failed = 0;
  handedBack = 0;
  forced = 0;
  running = 0;

  constructor(
    readonly options: NormalizedTaskQueueOptions,
    onDrop: (item: QueuedItem) => void,
  ) {
    super();
    this.name = options.name;
    this.channel = new Channel<QueuedItem>({ capacity: options.capacity, fullMode: options.fullMode, onDrop });
  }

  get closed(): boolean {
    return this.#closed;
  }

  get stats(): TaskQueueStats {
    const { accepted, succeeded, failed, handedBack, forced, running } = this;
    return { accepted, succeeded, failed, handedBack, forced, running, pending: this.channel.reader.count };
  }

  enqueue(work: WorkItem, options?: EnqueueOptions): Promise<void> {
    let item: QueuedItem;
    try {
      item = this.#item(work, options);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#closed) return Promise.reject(new QueueClosedError(this.name));
    if (this.channel.writer.tryWrite(item)) {
      this.accepted++;
      return ACCEPTED;
    }
    return this.channel.writer.write(item, options?.signal).then(
      () => void this.accepted++,
      (error: unknown) => {
        if (error instanceof ChannelClosedError) throw new QueueClosedError(this.name);
        if (error instanceof ChannelFullError) throw new QueueFullError(this.name, this.options.capacity);
        throw error;
      },
    );
  }

  tryEnqueue(work: WorkItem, options?: EnqueueOptions): boolean {
    const item = this.#item(work, options);
    if (this.#closed || !this.channel.writer.tryWrite(item)) return false;
    this.accepted++;
    return true;
  }

  /** Refuses new items from now on; writers waiting for room are rejected. @internal */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.channel.writer.complete();
  }

  #item(work: WorkItem, options: EnqueueOptions | undefined): QueuedItem {
    if (typeof work !== 'function')
      throw new InvalidOptionError('work', 'a function (signal, context) => void | Promise<void>', work);
    const signal: unknown = options?.signal;
    if (signal !== undefined && !isAbortSignal(signal))
      throw new InvalidOptionError('signal', 'an AbortSignal', signal);
    const label = options?.label;
    if (label === undefined) return work;
    if (typeof label !== 'string') throw new InvalidOptionError('label', 'a string', label);
    return { work, label };
  }
}
