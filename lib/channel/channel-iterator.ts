import { rejected } from './settled';

/** What the iterator needs of a reader. @internal */
interface Source<T> {
  tryRead(): T | undefined;
  waitToRead(signal?: AbortSignal): Promise<boolean>;
}

/** Shared by every ended iterator; frozen, since callers get the object itself. */
const DONE: Promise<IteratorReturnResult<undefined>> = Promise.resolve(Object.freeze({ value: undefined, done: true }));

/**
 * The async iterator behind `reader.readAll()` and `for await (… of reader)`. Written by hand
 * rather than as an async generator: a generator costs several microtask hops per item (`yield`
 * suspends and awaits), while `next()` here returns an already-settled result whenever an item is
 * buffered, which makes `for await` about twice as fast. It also yields thenable items untouched,
 * where a generator's `yield` would await them.
 *
 * Once it has ended (drained, completion error, abort, or `return()`), every `next()` reports done.
 * @internal
 */
export class ChannelIterator<T> implements AsyncIterableIterator<T, undefined, undefined> {
  private done = false;

  constructor(
    private readonly source: Source<T>,
    private readonly signal: AbortSignal | undefined,
  ) {}

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.done) return DONE;
    // Checked before taking an item, so that an abort never loses one.
    if (this.signal?.aborted) return this.fail(this.signal.reason);
    const item = this.source.tryRead();
    if (item !== undefined) return Promise.resolve({ value: item, done: false });
    return this.waitForNext();
  }

  /** Ends the iteration early (`break` in `for await`); the remaining items stay in the channel. */
  return(): Promise<IteratorResult<T, undefined>> {
    this.done = true;
    return DONE;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private async waitForNext(): Promise<IteratorResult<T, undefined>> {
    try {
      while (await this.source.waitToRead(this.signal)) {
        const item = this.source.tryRead();
        // Another consumer may have taken the item meanwhile: then wait again.
        if (item !== undefined) return { value: item, done: false };
      }
    } catch (error) {
      this.done = true;
      throw error;
    }
    this.done = true;
    return { value: undefined, done: true };
  }

  private fail(reason: unknown): Promise<never> {
    this.done = true;
    return rejected(reason);
  }
}
