import { expect } from '@jest/globals';
import { Channel, ChannelFullMode } from '../../../lib/channel';
import { ITEM_BASE, MAX_CONSUMER_TASKS, Op, PRODUCERS, SignalChoice } from './channel-schedule';
import { observe, Observed } from './channel-test-helpers';

/** One channel driven by a schedule, and everything observed of it. */
export class Run {
  readonly channel: Channel<number>;
  readonly accepted = new Set<number>();
  readonly refused = new Set<number>();
  readonly dropped: number[] = [];
  /** What the schedule's own read/tryRead/drain calls took, in call order (reads fill in later). */
  readonly own: { item?: number }[] = [];
  /** What each consumer loop or iterator took, in order. */
  readonly tasks: number[][] = [];
  readonly writes: Observed<void>[] = [];
  readonly reads: Observed<number>[] = [];
  readonly readWaits: Observed<boolean>[] = [];
  readonly writeWaits: Observed<boolean>[] = [];
  readonly consumerTasks: Observed<void>[] = [];
  readonly controllers: AbortController[] = [];
  /** Abort reasons and completion errors handed out: the only rejections allowed besides ours. */
  readonly givenErrors = new Set<unknown>();
  closed = false;
  /** The error of the first `complete()`, the one that counts. */
  completionError: unknown = undefined;
  private readonly sequence = Array<number>(PRODUCERS).fill(0);

  constructor(
    readonly capacity: number,
    readonly fullMode: ChannelFullMode,
  ) {
    this.channel = new Channel<number>({ capacity, fullMode, onDrop: (item) => this.dropped.push(item) });
  }

  apply(op: Op): void {
    const { reader, writer } = this.channel;
    switch (op.kind) {
      case 'write': {
        const item = this.nextItem(op.producer);
        const write = observe(writer.write(item, this.signal(op.abortable)));
        write.promise.then(
          () => this.accepted.add(item),
          () => this.refused.add(item),
        );
        this.writes.push(write);
        return;
      }
      case 'tryWrite': {
        const item = this.nextItem(op.producer);
        (writer.tryWrite(item) ? this.accepted : this.refused).add(item);
        return;
      }
      case 'read': {
        const entry: { item?: number } = {};
        this.own.push(entry);
        const read = observe(reader.read(this.signal(op.abortable)));
        read.promise.then(
          (item) => (entry.item = item),
          () => undefined,
        );
        this.reads.push(read);
        return;
      }
      case 'tryRead':
        this.own.push({ item: reader.tryRead() });
        return;
      case 'drain':
        for (const item of reader.drain()) this.own.push({ item });
        return;
      case 'waitToRead':
        this.readWaits.push(observe(reader.waitToRead(this.signal(op.abortable))));
        return;
      case 'waitToWrite':
        this.writeWaits.push(observe(writer.waitToWrite(this.signal(op.abortable))));
        return;
      case 'startLoop':
        if (this.consumerTasks.length < MAX_CONSUMER_TASKS) this.consumerTasks.push(observe(this.loop(op.yieldEvery)));
        return;
      case 'startIterator':
        if (this.consumerTasks.length < MAX_CONSUMER_TASKS)
          this.consumerTasks.push(observe(this.iterate(this.signal(op.abortable))));
        return;
      case 'abort':
        if (this.controllers.length > 0)
          this.controllers[op.index % this.controllers.length].abort(this.given(`abort ${op.index}`));
        return;
      case 'complete': {
        const error = op.withError ? this.given('completed with an error') : undefined;
        if (writer.complete(error)) this.completionError = error;
        this.closed = true;
        return;
      }
    }
  }

  /** Checks that hold whenever the channel is quiet (after a flush). */
  checkQuiet(): void {
    const { count } = this.channel.reader;
    expect(count).toBeLessThanOrEqual(this.capacity);
    if (count > 0) {
      // Nobody waits to read while there is something to read. A consumer task is quiet only
      // when it waits in waitToRead.
      expect(pending(this.reads)).toBe(0);
      expect(pending(this.readWaits)).toBe(0);
      expect(pending(this.consumerTasks)).toBe(0);
    }
    if (count === 0 && !this.closed) {
      // Nobody waits to write into an empty channel.
      expect(pending(this.writes)).toBe(0);
      expect(pending(this.writeWaits)).toBe(0);
    }
  }

  /** The schedule's own items, in the order its calls took them. */
  ownItems(): number[] {
    return this.own.map((entry) => entry.item).filter((item): item is number => item !== undefined);
  }

  private nextItem(producer: number): number {
    return producer * ITEM_BASE + this.sequence[producer]++;
  }

  private signal(choice: SignalChoice): AbortSignal | undefined {
    if (choice === 'none') return undefined;
    if (typeof choice === 'number' && this.controllers.length > 0)
      return this.controllers[choice % this.controllers.length].signal;
    const controller = new AbortController();
    this.controllers.push(controller);
    return controller.signal;
  }

  private given(message: string): Error {
    const error = new Error(message);
    this.givenErrors.add(error);
    return error;
  }

  /** The hot-path consumer: waitToRead, then tryRead until empty, sometimes yielding between items. */
  private async loop(yieldEvery: number): Promise<void> {
    const items: number[] = [];
    this.tasks.push(items);
    const { reader } = this.channel;
    while (await reader.waitToRead()) {
      let item: number | undefined;
      while ((item = reader.tryRead()) !== undefined) {
        items.push(item);
        if (yieldEvery > 0 && items.length % yieldEvery === 0) await Promise.resolve();
      }
    }
  }

  private async iterate(signal: AbortSignal | undefined): Promise<void> {
    const items: number[] = [];
    this.tasks.push(items);
    for await (const item of this.channel.reader.readAll(signal)) items.push(item);
  }
}

/** How many of `observed` are still pending. */
export function pending(observed: Observed<unknown>[]): number {
  return observed.filter((o) => o.status === 'pending').length;
}

/** Whether each producer's items come in the order that producer wrote them. */
export function inProducerOrder(items: number[]): boolean {
  const last = Array<number>(PRODUCERS).fill(-1);
  for (const item of items) {
    const producer = Math.floor(item / ITEM_BASE);
    if (item <= last[producer]) return false;
    last[producer] = item;
  }
  return true;
}
