import { describe, expect, it } from '@jest/globals';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';

import {
  BackgroundTaskQueue,
  BackgroundTaskQueueModule,
  Channel,
  ChannelFullMode,
  HostedServicesModule,
  isHostingError,
} from '../../lib';
import { Random, seeded } from './support/random';

// The channel under the queue, at scale: many producers and consumers on one small channel, with
// backpressure, aborted writes and reads, and completion at a random moment. (The fast-check
// schedules in test/unit/channel explore small interleavings exhaustively; this explores big ones.)

const FILE = 'test/reliability/channel-under-fire.spec.ts';
const RUNS = 25;
const HANG_MS = 5_000;

interface Item {
  readonly producer: number;
  readonly seq: number;
}
const key = (item: Item): string => `${item.producer}:${item.seq}`;

/** Gives way: not at all, for a microtask, or for a whole event-loop turn. */
function yieldTo(random: Random): Promise<void> | undefined {
  const r = random.next();
  if (r < 0.5) return undefined;
  if (r < 0.8) return Promise.resolve();
  return new Promise((resolve) => setImmediate(resolve));
}

async function withinBound<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>(
    (_, reject) =>
      (timer = setTimeout(() => reject(new Error(`${what} still pending after ${HANG_MS}ms: a hang`)), HANG_MS)),
  );
  try {
    return await Promise.race([promise, hang]);
  } finally {
    clearTimeout(timer);
  }
}

async function runOnce(random: Random): Promise<Record<string, unknown>> {
  const capacity = random.pick([1, 2, 8, 32, Infinity]);
  const fullMode = random.pick<ChannelFullMode>(['wait', 'wait', 'dropOldest', 'dropNewest', 'reject']);
  const producers = random.int(2, 16);
  const perProducer = random.int(20, 200);
  const consumers = random.int(1, 8);
  const dropped: Item[] = [];
  const channel = new Channel<Item>({ capacity, fullMode, onDrop: (item) => void dropped.push(item) });
  const accepted: Item[] = [];
  const refused: Array<{ item: Item; error: unknown }> = [];
  const ownErrors = new Set<unknown>();

  const producer = async (p: number): Promise<void> => {
    for (let seq = 0; seq < perProducer; seq++) {
      const item = { producer: p, seq };
      const abort = random.chance(0.05) ? new AbortController() : undefined;
      if (abort) {
        const reason = new Error(`write ${key(item)} aborted`);
        ownErrors.add(reason);
        void Promise.resolve().then(() => abort.abort(reason));
      }
      try {
        await channel.writer.write(item, abort?.signal);
        accepted.push(item);
      } catch (error) {
        refused.push({ item, error });
        if (isHostingError(error, 'HOSTING_CHANNEL_CLOSED')) return;
      }
      await yieldTo(random);
    }
  };

  const consumer = async (): Promise<Item[]> => {
    const got: Item[] = [];
    for (;;) {
      const abort = random.chance(0.1) ? new AbortController() : undefined;
      if (abort) {
        const reason = new Error('read aborted');
        ownErrors.add(reason);
        setImmediate(() => abort.abort(reason));
      }
      try {
        if (random.chance(0.5)) {
          got.push(await channel.reader.read(abort?.signal));
        } else {
          if (!(await channel.reader.waitToRead(abort?.signal))) return got;
          let item: Item | undefined;
          while ((item = channel.reader.tryRead()) !== undefined) got.push(item);
        }
      } catch (error) {
        if (isHostingError(error, 'HOSTING_CHANNEL_CLOSED')) return got;
        if (!ownErrors.has(error)) throw error;
      }
      await yieldTo(random);
    }
  };

  const producing = Promise.all(Array.from({ length: producers }, (_, p) => producer(p)));
  const consuming = Promise.all(Array.from({ length: consumers }, () => consumer()));
  // Complete at a random moment: early, mid-stream, or once the producers are done.
  const turns = random.int(0, 60);
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
  if (random.chance(0.3)) await producing;
  channel.writer.complete();
  const drained = channel.reader.drain();

  await withinBound(producing, 'a producer');
  const taken = await withinBound(consuming, 'a consumer');
  await withinBound(channel.reader.completion, 'completion');

  // Conservation: every accepted item was read, dropped or drained, exactly once; nothing else was.
  const out = [...taken.flat(), ...drained, ...dropped].map(key);
  expect(new Set(out).size).toBe(out.length);
  expect(out.sort()).toEqual(accepted.map(key).sort());
  for (const { item, error } of refused) {
    const typed =
      ownErrors.has(error) ||
      isHostingError(error, 'HOSTING_CHANNEL_CLOSED') ||
      (isHostingError(error, 'HOSTING_CHANNEL_FULL') && fullMode === 'reject' && capacity !== Infinity);
    expect({ item: key(item), typed }).toEqual({ item: key(item), typed: true });
  }
  // FIFO: each consumer sees each producer's items in the order they were written.
  for (const items of [...taken, drained]) {
    const last = new Map<number, number>();
    for (const item of items) {
      expect(item.seq).toBeGreaterThan(last.get(item.producer) ?? -1);
      last.set(item.producer, item.seq);
    }
  }
  if (fullMode === 'wait' || fullMode === 'reject' || capacity === Infinity) expect(dropped).toEqual([]);
  return {
    capacity,
    fullMode,
    producers,
    perProducer,
    consumers,
    turns,
    accepted: accepted.length,
    dropped: dropped.length,
    drained: drained.length,
    refused: refused.length,
  };
}

describe('the channel under fire', () => {
  it(`many producers and consumers, backpressure, aborts, completion at a random moment (${RUNS} seeded runs): nothing lost, duplicated or reordered; nobody left waiting`, async () => {
    await seeded(FILE, 'channel under fire', async (random) => {
      for (let run = 0; run < RUNS; run++) {
        const summary = await runOnce(random.fork(`run ${run}`));
        if (process.env.RELIABILITY_DEBUG) console.log(JSON.stringify(summary));
      }
    });
  }, 60_000);
});

describe('the queue consumer and the event loop', () => {
  // Items that settle in microtasks (no I/O, no timer), e.g. all failing at once on a
  // misconfiguration, fed by a producer awaiting enqueue() in a loop, must not starve timers, I/O
  // and signal handlers: without the consumer's periodic yield, SIGTERM would wait for the whole
  // flood (forever with an endless producer); a 0 ms timer here fired only after ~250 ms.
  it('lets timers (and so signal handlers) run during a flood of microtask-only work items', async () => {
    @Module({
      imports: [HostedServicesModule.forRoot({ logger: false }), BackgroundTaskQueueModule.register({ capacity: 100 })],
    })
    class App {}
    const app = await Test.createTestingModule({ imports: [App] }).compile();
    await app.init();
    try {
      const queue = app.get(BackgroundTaskQueue);
      const start = performance.now();
      let firedAfter = Infinity;
      setTimeout(() => (firedAfter = performance.now() - start), 0);
      for (let i = 0; i < 200_000; i++) await queue.enqueue(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(firedAfter).toBeLessThan(50);
    } finally {
      await app.close();
    }
  });
});
