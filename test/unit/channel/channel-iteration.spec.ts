import { describe, expect, it } from '@jest/globals';
import { Channel } from '../../../lib/channel';
import { flush, observe, rejectionOf } from './channel-test-helpers';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const collected: T[] = [];
  for await (const item of items) collected.push(item);
  return collected;
}

describe('Channel async iteration', () => {
  it('yields items FIFO and ends once completed and drained', async () => {
    const { reader, writer } = new Channel<number>();
    const collected = collect(reader);
    for (let i = 0; i < 5; i++) await writer.write(i);
    await flush();
    writer.tryWrite(5);
    writer.complete();
    expect(await collected).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('ends at once on a channel already completed and drained', async () => {
    const { reader, writer } = new Channel<number>();
    writer.complete();
    expect(await collect(reader.readAll())).toEqual([]);
  });

  it('throws the completion error after the last item', async () => {
    const failure = new Error('producer failed');
    const { reader, writer } = new Channel<number>();
    writer.tryWrite(1);
    writer.complete(failure);
    const seen: number[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const item of reader) seen.push(item);
      })(),
    );
    expect(error).toBe(failure);
    expect(seen).toEqual([1]);
  });

  it('shares items between concurrent iterators, each item once', async () => {
    const { reader, writer } = new Channel<number>();
    const a = collect(reader.readAll());
    const b = collect(reader.readAll());
    for (let i = 0; i < 100; i++) {
      await writer.write(i);
      if (i % 7 === 0) await flush();
    }
    writer.complete();
    const [fromA, fromB] = await Promise.all([a, b]);
    expect([...fromA, ...fromB].sort((x, y) => x - y)).toEqual([...Array(100).keys()]);
    // Each iterator still sees its own items in order.
    expect(fromA).toEqual([...fromA].sort((x, y) => x - y));
    expect(fromB).toEqual([...fromB].sort((x, y) => x - y));
  });

  it('readAll(signal) rejects with the reason when aborted while waiting', async () => {
    const reason = new Error('stop');
    const { reader, writer } = new Channel<number>();
    const controller = new AbortController();
    const seen: number[] = [];
    const loop = observe(
      (async () => {
        for await (const item of reader.readAll(controller.signal)) seen.push(item);
      })(),
    );
    writer.tryWrite(1);
    await flush();
    controller.abort(reason);
    await flush();
    expect(loop).toMatchObject({ status: 'rejected', reason });
    expect(seen).toEqual([1]);
  });

  it('readAll(signal) stops before taking the next item once aborted, so no item is lost', async () => {
    const reason = new Error('stop');
    const { reader, writer } = new Channel<number>();
    writer.tryWrite(1);
    writer.tryWrite(2);
    const controller = new AbortController();
    const error = await rejectionOf(
      (async () => {
        for await (const item of reader.readAll(controller.signal)) {
          if (item === 1) controller.abort(reason);
        }
      })(),
    );
    expect(error).toBe(reason);
    expect(reader.tryRead()).toBe(2);
  });

  it('yields thenable items untouched (a generator would await them)', async () => {
    const thenable = { then: (): void => undefined };
    const { reader, writer } = new Channel<typeof thenable>();
    writer.tryWrite(thenable);
    writer.complete();
    expect(await collect(reader)).toEqual([thenable]);
  });

  it('reports done on every next() once it has ended, whatever ended it', async () => {
    const reason = new Error('stop');
    const { reader, writer } = new Channel<number>();
    writer.tryWrite(1);
    const controller = new AbortController();
    const iterator = reader.readAll(controller.signal);
    expect(await iterator.next()).toEqual({ value: 1, done: false });
    controller.abort(reason);
    expect(await rejectionOf(iterator.next())).toBe(reason);
    writer.tryWrite(2);
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
    expect(reader.tryRead()).toBe(2);

    const ended = reader.readAll();
    expect(await ended.return?.()).toEqual({ value: undefined, done: true });
    writer.tryWrite(3);
    expect(await ended.next()).toEqual({ value: undefined, done: true });
    expect(ended[Symbol.asyncIterator]()).toBe(ended);
  });

  it('waits again when another consumer takes the item it was woken for', async () => {
    const { reader, writer } = new Channel<number>();
    const nexts = [observe(reader.readAll().next()), observe(reader.readAll().next())];
    writer.tryWrite(1); // wakes both iterators; only one can have the item
    await flush();
    expect(nexts.map((n) => n.status).sort()).toEqual(['fulfilled', 'pending']);
    writer.tryWrite(2);
    await flush();
    expect(nexts.map((n) => n.value)).toEqual([
      { value: 1, done: false },
      { value: 2, done: false },
    ]);
  });

  it('leaves the rest in the channel when the loop breaks early', async () => {
    const { reader, writer } = new Channel<number>();
    for (let i = 0; i < 3; i++) writer.tryWrite(i);
    for await (const item of reader) {
      if (item === 0) break;
    }
    expect(reader.drain()).toEqual([1, 2]);
  });
});

describe('Channel drain()', () => {
  it('removes and returns every buffered item, FIFO', () => {
    const { reader, writer } = new Channel<number>();
    for (let i = 0; i < 40; i++) writer.tryWrite(i);
    for (let i = 0; i < 10; i++) reader.tryRead();
    expect(reader.drain()).toEqual(Array.from({ length: 30 }, (_, i) => i + 10));
    expect(reader.count).toBe(0);
    expect(reader.tryRead()).toBeUndefined();
  });

  it('returns an empty array when empty', () => {
    expect(new Channel<number>().reader.drain()).toEqual([]);
  });

  it('leaves the channel usable', async () => {
    const { reader, writer } = new Channel<number>({ capacity: 2 });
    writer.tryWrite(1);
    reader.drain();
    await writer.write(2);
    await writer.write(3);
    expect(writer.tryWrite(4)).toBe(false);
    expect(await reader.read()).toBe(2);
  });

  it('after complete(), hands back everything, and waiting writers are refused, not admitted', async () => {
    const { reader, writer } = new Channel<number>({ capacity: 2 });
    writer.tryWrite(1);
    writer.tryWrite(2);
    const blocked = observe(writer.write(3));
    writer.complete();
    expect(reader.drain()).toEqual([1, 2]);
    await flush();
    expect(blocked.status).toBe('rejected');
    expect(reader.count).toBe(0);
    await expect(reader.completion).resolves.toBeUndefined();
  });
});
