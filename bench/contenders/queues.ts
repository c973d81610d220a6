import * as asyncLib from 'async';
import fastq from 'fastq';
import { QueuedHostedService } from '../../lib/queue/queued-hosted-service';
import { TaskQueue } from '../../lib/queue/background-task-queue';
import { normalizeTaskQueueOptions } from '../../lib/queue/task-queue.options';
import { nsPerItem } from '../harness/sampler';
import { Countdown, QueueRunner, QueueRunSpec } from './countdown';

type Item = () => Promise<void>;

/**
 * The floor: no queue at all, `concurrency` loops that each `await item()` in turn. What any
 * queue adds on top of calling and awaiting an async function is its own cost.
 */
export const floor: QueueRunner = async ({ items, concurrency }) => {
  const countdown = new Countdown(items);
  const { item } = countdown;
  const start = process.hrtime.bigint();
  if (concurrency === 1) {
    for (let i = 0; i < items; i++) await item();
  } else {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next++ < items) await item();
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
  }
  await countdown.done;
  return nsPerItem(start, items);
};

/**
 * Ours: the queue and its hosted consumer, as `BackgroundTaskQueueModule` wires them, without Nest.
 * `producer` is how the producer writes (bulk: `enqueue` without awaiting, whatever it says).
 */
function ours(producer: 'awaitEach' | 'tryFirst'): QueueRunner {
  return async ({ items, concurrency, capacity }) => {
    const countdown = new Countdown(items);
    const { item } = countdown;
    const queue = new TaskQueue(normalizeTaskQueueOptions({ capacity, concurrency }), () => undefined);
    const consumer = new QueuedHostedService(queue, undefined, false);
    consumer.start();
    const start = process.hrtime.bigint();
    if (capacity === Infinity) {
      for (let i = 0; i < items; i++) void queue.enqueue(item);
    } else if (producer === 'awaitEach') {
      for (let i = 0; i < items; i++) await queue.enqueue(item);
    } else {
      for (let i = 0; i < items; i++) if (!queue.tryEnqueue(item)) await queue.enqueue(item);
    }
    await countdown.done;
    const ns = nsPerItem(start, items);
    await consumer.stop(new AbortController().signal);
    return ns;
  };
}

/** Ours, with the producer most code writes: `await queue.enqueue(work)` for every item. */
export const oursAwaitEach = ours('awaitEach');

/**
 * Ours, with a producer that awaits only when the queue is full, as the other contenders' do:
 * `if (!queue.tryEnqueue(work)) await queue.enqueue(work)` (.NET's `TryWrite` first idiom).
 */
export const oursTryFirst = ours('tryFirst');

/** fastq's callback API; the worker settles the callback from the item's promise. */
export const fastqCallback: QueueRunner = async (spec) => {
  const countdown = new Countdown(spec.items);
  const queue = fastq((item: Item, done: fastq.done) => {
    void item().then(done as () => void, done);
  }, spec.concurrency);
  return produce(spec, countdown, queue, (item) => queue.push(item));
};

/** fastq's promise API (`fastq.promise`): `push` returns a promise per item. */
export const fastqPromise: QueueRunner = async (spec) => {
  const countdown = new Countdown(spec.items);
  const queue = fastq.promise((item: Item) => item(), spec.concurrency);
  return produce(spec, countdown, queue, (item) => void queue.push(item));
};

/** async.queue with a callback per push (its cheapest form: no promise per item). */
export const asyncQueue: QueueRunner = async (spec) => {
  const countdown = new Countdown(spec.items);
  const queue = asyncLib.queue((item: Item, done: () => void) => {
    void item().then(done, done);
  }, spec.concurrency);
  const ignore = (): void => undefined;
  return produce(spec, countdown, { whenEmpty: () => queue.empty() }, (item) => queue.push(item, ignore));
};

/** p-queue; backpressure with its documented `onSizeLessThan`. */
export const pQueue: QueueRunner = async ({ items, concurrency, capacity }) => {
  const { default: PQueue } = await import('p-queue');
  const countdown = new Countdown(items);
  const { item } = countdown;
  const queue = new PQueue({ concurrency });
  const start = process.hrtime.bigint();
  for (let i = 0; i < items; i++) {
    if (queue.size >= capacity) await queue.onSizeLessThan(capacity / 2);
    void queue.add(item);
  }
  await countdown.done;
  return nsPerItem(start, items);
};

interface Emptying {
  /** fastq: a property set to a callback. */
  empty?: () => void;
  /** async: a method returning a promise for the next time. */
  whenEmpty?: () => Promise<void>;
}

/**
 * The producer for queues with no "size below n" hook (fastq, async): after `capacity` pushes it
 * sleeps until the queue has handed its last waiting item to a worker, so at most `capacity` wait.
 * It counts its own pushes because fastq's `length()` walks the whole list (O(n) per call). Pushes
 * never yield, so the queue cannot empty while the producer runs. One wait per `capacity` items:
 * the wake-up policy costs them nothing measurable.
 */
async function produce(
  spec: QueueRunSpec,
  countdown: Countdown,
  queue: Emptying,
  push: (item: Item) => void,
): Promise<number> {
  const { items, capacity } = spec;
  const { item } = countdown;
  const untilEmpty = (): Promise<void> =>
    queue.whenEmpty ? queue.whenEmpty() : new Promise<void>((resolve) => (queue.empty = resolve));
  let burst = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < items; i++) {
    if (++burst > capacity) {
      await untilEmpty();
      burst = 1;
    }
    push(item);
  }
  await countdown.done;
  return nsPerItem(start, items);
}
