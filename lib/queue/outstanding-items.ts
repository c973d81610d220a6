import { TaskQueue } from './background-task-queue';
import { labelOf, QueuedItem, UnprocessedWorkItem, workOf } from './work-item';

/** An item a lane is running. @internal */
export interface RunningItem {
  readonly item: QueuedItem;
  /** Its place in the order items left the queue: an unlabelled item is `#<seq>` in logs. */
  readonly seq: number;
  /** Taken for a hand-back while it ran: its outcome, whenever it comes, counts for nothing. */
  handedBack: boolean;
}

/**
 * The accepted items of a queue that have not completed: still queued, or running in a lane. They
 * leave only through `take*`, which marks each as taken, so that the drain, the shutdown
 * deadline, `'abandon'` and a forced exit, racing each other, hand every item back at most once.
 * @internal
 */
export class OutstandingItems {
  /**
   * The item each lane runs, by lane index (`undefined`: idle). An array slot per lane rather than
   * a `Set` of items: adding and deleting an object in a Set cost more than a trivial item itself.
   */
  readonly #running: (RunningItem | undefined)[] = [];
  #seq = 0;

  constructor(private readonly queue: TaskQueue) {}

  /** Lane `lane` starts `item`. */
  begin(lane: number, item: QueuedItem): RunningItem {
    const running: RunningItem = { item, seq: ++this.#seq, handedBack: false };
    this.#running[lane] = running;
    this.queue.running++;
    return running;
  }

  /** Lane `lane` is done with `running`, however it ended. */
  end(lane: number, running: RunningItem): void {
    this.#running[lane] = undefined;
    // One handed back while it ran was taken off `running` then.
    if (!running.handedBack) this.queue.running--;
  }

  /** Takes every item still queued and every running one, in that order. */
  takeAll(): UnprocessedWorkItem[] {
    return [...this.takeQueued(), ...this.takeRunning()];
  }

  /** Takes every item still queued, as not started. */
  takeQueued(): UnprocessedWorkItem[] {
    return this.queue.channel.reader.drain().map((item) => this.evicted(item));
  }

  /** Takes the running items not taken yet (all, or only `one`), in start order, off `running`. */
  takeRunning(one?: RunningItem): UnprocessedWorkItem[] {
    const candidates = one ? [one] : this.#running.filter((r) => r !== undefined).sort((a, b) => a.seq - b.seq);
    return candidates
      .filter((r) => !r.handedBack)
      .map((r) => {
        r.handedBack = true;
        this.queue.running--;
        return { work: workOf(r.item), label: labelOf(r.item, `#${r.seq}`), started: true };
      });
  }

  /** An item that left the queue without running (taken, or evicted by a drop full mode). */
  evicted(item: QueuedItem): UnprocessedWorkItem {
    return { work: workOf(item), label: labelOf(item, `#${++this.#seq}`), started: false };
  }
}
