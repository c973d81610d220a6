/**
 * The trivial async work item every queue contender runs, and the promise that settles once the
 * last of `items` has run. Counting completions (rather than awaiting the last item pushed) is
 * what makes "all done" exact with concurrency > 1, and every contender pays the same for it.
 */
export class Countdown {
  readonly done: Promise<void>;
  #remaining: number;
  #resolve!: () => void;

  constructor(items: number) {
    this.#remaining = items;
    this.done = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** The work item: an async function that does nothing but count itself. */
  readonly item = async (): Promise<void> => {
    if (--this.#remaining === 0) this.#resolve();
  };
}

/** What a queue contender is asked to do in one run. */
export interface QueueRunSpec {
  readonly items: number;
  readonly concurrency: number;
  /** Most items waiting: `Infinity` for the bulk mode (push everything, then drain). */
  readonly capacity: number;
}

/** One way to run `spec.items` work items; resolves with the nanoseconds per item. */
export type QueueRunner = (spec: QueueRunSpec) => Promise<number>;
