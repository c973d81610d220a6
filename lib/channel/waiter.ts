/**
 * One pending `read`, `write`, `waitToRead` or `waitToWrite`: the promise handed to the caller,
 * its settle functions, the item a blocked writer carries, and the abort listener.
 *
 * A waiter is linked into a {@link WaiterList} from creation until it is settled or aborted.
 * Whoever takes it out of the list settles it, and only then: an abort unlinks it before
 * rejecting, and the channel unlinks it (with {@link WaiterList.shift}) before resolving. Both
 * happen synchronously, so a waiter is either delivered to or aborted, never both.
 * @internal
 */
export class Waiter<V, I = undefined> {
  prev: Waiter<V, I> | undefined = undefined;
  next: Waiter<V, I> | undefined = undefined;
  /** What the caller awaits. */
  readonly promise: Promise<V>;
  private resolvePromise!: (value: V) => void;
  private rejectPromise!: (reason: unknown) => void;
  private readonly onAbort: (() => void) | undefined;

  constructor(
    list: WaiterList<V, I>,
    /** The item a blocked writer wants to write (`undefined` for other waiters). */
    readonly item: I,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.promise = new Promise<V>((resolve, reject) => {
      this.resolvePromise = resolve;
      this.rejectPromise = reject;
    });
    if (signal !== undefined) {
      this.onAbort = () => {
        list.remove(this);
        this.rejectPromise(signal.reason);
      };
      // Before linking: a `signal` that is not an AbortSignal throws here, and must not leave a
      // waiter in the list that the channel would later admit (and fail to settle).
      signal.addEventListener('abort', this.onAbort, { once: true });
    }
    list.append(this);
  }

  /** Resolves a waiter already unlinked from its list. */
  resolve(value: V): void {
    this.stopListening();
    this.resolvePromise(value);
  }

  /** Rejects a waiter already unlinked from its list. */
  reject(reason: unknown): void {
    this.stopListening();
    this.rejectPromise(reason);
  }

  /** A long-lived signal must not collect one listener per settled operation. */
  private stopListening(): void {
    if (this.onAbort !== undefined) this.signal?.removeEventListener('abort', this.onAbort);
  }
}

/**
 * A FIFO of waiters as an intrusive doubly linked list, so that an aborted waiter leaves from the
 * middle in O(1) and the order of the others is kept.
 * @internal
 */
export class WaiterList<V, I = undefined> {
  private head: Waiter<V, I> | undefined = undefined;
  private tail: Waiter<V, I> | undefined = undefined;

  /** True when nobody waits. */
  get isEmpty(): boolean {
    return this.head === undefined;
  }

  /** Links `waiter` as the last. */
  append(waiter: Waiter<V, I>): void {
    waiter.prev = this.tail;
    if (this.tail === undefined) this.head = waiter;
    else this.tail.next = waiter;
    this.tail = waiter;
  }

  /** Unlinks `waiter`, wherever it is. */
  remove(waiter: Waiter<V, I>): void {
    if (waiter.prev === undefined) this.head = waiter.next;
    else waiter.prev.next = waiter.next;
    if (waiter.next === undefined) this.tail = waiter.prev;
    else waiter.next.prev = waiter.prev;
    waiter.prev = waiter.next = undefined;
  }

  /** Unlinks and returns the first waiter, or `undefined` when nobody waits. */
  shift(): Waiter<V, I> | undefined {
    const first = this.head;
    if (first !== undefined) this.remove(first);
    return first;
  }

  /** Unlinks every waiter and resolves each with `value`, first to last. */
  resolveAll(value: V): void {
    for (let waiter = this.shift(); waiter !== undefined; waiter = this.shift()) waiter.resolve(value);
  }

  /** Unlinks every waiter and rejects each with a fresh `reason()`, first to last. */
  rejectAll(reason: () => unknown): void {
    for (let waiter = this.shift(); waiter !== undefined; waiter = this.shift()) waiter.reject(reason());
  }
}
