import { describe, expect, it } from '@jest/globals';
import { Channel } from '../../../lib/channel';
import { flush, observe } from './channel-test-helpers';

describe('Channel reading and writing', () => {
  it('delivers items first in, first out', async () => {
    const { reader, writer } = new Channel<number>();
    for (let i = 0; i < 50; i++) await writer.write(i);
    const read: number[] = [];
    for (let i = 0; i < 50; i++) read.push(await reader.read());
    expect(read).toEqual([...Array(50).keys()]);
  });

  it('keeps FIFO across the ring buffer growing, wrapping around and shrinking', () => {
    const { reader, writer } = new Channel<number>();
    let next = 0;
    const read: (number | undefined)[] = [];
    for (const [writes, reads] of [
      [10, 7],
      [40, 20],
      [5000, 4990],
      [30, 70],
      [3000, 2990],
    ]) {
      for (let i = 0; i < writes; i++) writer.tryWrite(next++);
      for (let i = 0; i < reads; i++) read.push(reader.tryRead());
    }
    // The [30, 70] round reads 7 items more than were buffered: those reads found nothing.
    const items = read.filter((item) => item !== undefined);
    expect(read.length - items.length).toBe(7);
    expect(items).toEqual([...Array(items.length).keys()]);
    expect(reader.count).toBe(next - items.length);
    expect(reader.drain()).toEqual(Array.from({ length: next - items.length }, (_, i) => items.length + i));
  });

  it('counts buffered items', () => {
    const { reader, writer } = new Channel<string>();
    expect(reader.count).toBe(0);
    writer.tryWrite('a');
    writer.tryWrite('b');
    expect(reader.count).toBe(2);
    reader.tryRead();
    expect(reader.count).toBe(1);
  });

  it('tryRead returns undefined when empty, without waiting', () => {
    const { reader, writer } = new Channel<number>();
    expect(reader.tryRead()).toBeUndefined();
    writer.tryWrite(0);
    expect(reader.tryRead()).toBe(0);
    expect(reader.tryRead()).toBeUndefined();
  });

  it('read waits for the next write, then gets that item', async () => {
    const { reader, writer } = new Channel<string>();
    const read = observe(reader.read());
    await flush();
    expect(read.status).toBe('pending');
    expect(writer.tryWrite('x')).toBe(true);
    await flush();
    expect(read).toMatchObject({ status: 'fulfilled', value: 'x' });
    // Handed over directly, never buffered.
    expect(reader.count).toBe(0);
  });

  it('serves waiting readers first come, first served', async () => {
    const { reader, writer } = new Channel<number>();
    const reads = [observe(reader.read()), observe(reader.read()), observe(reader.read())];
    writer.tryWrite(1);
    writer.tryWrite(2);
    await flush();
    expect(reads.map((r) => r.value)).toEqual([1, 2, undefined]);
    expect(reads[2].status).toBe('pending');
    await writer.write(3);
    await flush();
    expect(reads[2].value).toBe(3);
  });

  it('resolves an accepted write with one shared promise (no allocation on the fast path)', () => {
    const { writer } = new Channel<number>({ capacity: 10 });
    const first = writer.write(1);
    expect(writer.write(2)).toBe(first);
    expect(writer.write(3)).toBe(first);
  });

  it('waitToRead resolves true at once when an item is buffered, and does not take it', async () => {
    const { reader, writer } = new Channel<number>();
    writer.tryWrite(7);
    expect(await reader.waitToRead()).toBe(true);
    expect(await reader.waitToRead()).toBe(true);
    expect(reader.count).toBe(1);
    expect(reader.waitToRead()).toBe(reader.waitToRead());
  });

  it('waitToRead waits on an empty channel until an item arrives', async () => {
    const { reader, writer } = new Channel<number>();
    const waits = [observe(reader.waitToRead()), observe(reader.waitToRead())];
    await flush();
    expect(waits.map((w) => w.status)).toEqual(['pending', 'pending']);
    writer.tryWrite(1);
    await flush();
    expect(waits.map((w) => w.value)).toEqual([true, true]);
    expect(reader.count).toBe(1);
  });

  it('wakes waitToRead once per burst: a producer awaiting each write is read in one batch', async () => {
    const { reader, writer } = new Channel<number>();
    const batches: number[][] = [];
    const consumer = (async () => {
      while (await reader.waitToRead()) {
        const batch: number[] = [];
        let item: number | undefined;
        while ((item = reader.tryRead()) !== undefined) batch.push(item);
        batches.push(batch);
      }
    })();
    await flush();
    for (let i = 0; i < 10; i++) await writer.write(i);
    await flush();
    writer.complete();
    await consumer;
    expect(batches).toEqual([[...Array(10).keys()]]);
  });

  it('wakes waitToRead at once when 64 items are waiting, so a long burst cannot pile up', async () => {
    const { reader, writer } = new Channel<number>();
    const wait = observe(reader.waitToRead());
    for (let i = 0; i < 63; i++) writer.tryWrite(i);
    await Promise.resolve();
    await Promise.resolve();
    expect(wait.status).toBe('pending');
    writer.tryWrite(63);
    await Promise.resolve();
    expect(wait).toMatchObject({ status: 'fulfilled', value: true });
  });

  it('wakes waitToRead at once when a bounded buffer is full', async () => {
    const { reader, writer } = new Channel<number>({ capacity: 2 });
    const wait = observe(reader.waitToRead());
    writer.tryWrite(1);
    await Promise.resolve();
    expect(wait.status).toBe('pending');
    writer.tryWrite(2);
    await Promise.resolve();
    expect(wait.value).toBe(true);
  });

  it('keeps a waitToRead waiting when another consumer took the items before the wake-up', async () => {
    const { reader, writer } = new Channel<number>();
    const wait = observe(reader.waitToRead());
    writer.tryWrite(1);
    expect(reader.tryRead()).toBe(1);
    await flush();
    expect(wait.status).toBe('pending');
    writer.tryWrite(2);
    await flush();
    expect(wait.value).toBe(true);
  });

  it('hands a write to a waiting read() before waking waitToRead()', async () => {
    const { reader, writer } = new Channel<number>();
    const wait = observe(reader.waitToRead());
    const read = observe(reader.read());
    writer.tryWrite(1);
    await flush();
    expect(read.value).toBe(1);
    expect(wait.status).toBe('pending');
  });

  it('returns a thenable item untouched from tryRead', () => {
    const thenable = { then: (): void => undefined };
    const { reader, writer } = new Channel<typeof thenable>();
    writer.tryWrite(thenable);
    expect(reader.tryRead()).toBe(thenable);
  });

  it('exposes each half once, and iterates the reader', () => {
    const channel = new Channel<number>();
    expect(channel.reader).toBe(channel.reader);
    expect(channel.writer).toBe(channel.writer);
    expect(typeof channel.reader[Symbol.asyncIterator]).toBe('function');
  });
});
