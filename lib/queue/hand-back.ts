import { TaskQueue } from './background-task-queue';
import { QueueLogger } from './queue.logger';
import { UnprocessedReason, UnprocessedWorkItem } from './work-item';

type OnUnprocessed = (items: UnprocessedWorkItem[], reason: UnprocessedReason) => void | Promise<void>;

/**
 * Gives a queue's items back to the user (`onUnprocessed`) and keeps the books: each item is
 * counted as handed back once, when it is given, and the calls still under way are tracked, so
 * that a stop or a forced exit can wait for them before the process may end.
 * @internal
 */
export class HandBack {
  readonly #underWay = new Set<Promise<void>>();

  constructor(
    private readonly queue: TaskQueue,
    private readonly log: QueueLogger,
  ) {}

  /** How many `onUnprocessed` calls have not settled yet. */
  get underWay(): number {
    return this.#underWay.size;
  }

  /** Counts `items` and passes them to `onUnprocessed` (called before this returns). Never rejects. */
  give(items: UnprocessedWorkItem[], reason: UnprocessedReason): Promise<void> {
    this.count(items, reason);
    return this.deliver(items, reason);
  }

  /** Books `items` as handed back (and forced); {@link deliver} must follow. */
  count(items: readonly UnprocessedWorkItem[], reason: UnprocessedReason): void {
    this.queue.handedBack += items.length;
    if (reason === 'forced') this.queue.forced += items.length;
  }

  /** Passes counted `items` to `onUnprocessed`, or logs them when there is none. Never rejects. */
  deliver(items: UnprocessedWorkItem[], reason: UnprocessedReason): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    const onUnprocessed: OnUnprocessed | undefined = this.queue.options.onUnprocessed;
    if (!onUnprocessed) {
      // A forced exit has already named its items in its error line.
      if (reason !== 'forced')
        this.log.notTaken(
          items.map((i) => i.label),
          reason,
        );
      return Promise.resolve();
    }
    const call = this.#call(onUnprocessed, items, reason);
    this.#underWay.add(call);
    void call.then(() => this.#underWay.delete(call));
    return call;
  }

  /** Resolves once no call is under way, including calls begun while waiting. */
  async settled(): Promise<void> {
    while (this.#underWay.size > 0) await Promise.all(this.#underWay);
  }

  async #call(onUnprocessed: OnUnprocessed, items: UnprocessedWorkItem[], reason: UnprocessedReason): Promise<void> {
    try {
      await onUnprocessed(items, reason);
    } catch (error) {
      this.log.handBackFailed(items.length, error);
    }
  }
}
