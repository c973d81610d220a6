import { describe, expect, it } from '@jest/globals';
import { Channel } from '../../../lib/channel';
import { flush, observe } from './channel-test-helpers';

describe("Channel backpressure (fullMode 'wait')", () => {
  it('resolves writes at once while there is room', async () => {
    const { reader, writer } = new Channel<number>({ capacity: 3 });
    const writes = [observe(writer.write(1)), observe(writer.write(2)), observe(writer.write(3))];
    await flush();
    expect(writes.map((w) => w.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect(reader.count).toBe(3);
  });

  it('makes a write wait while full, and admits it only after a read', async () => {
    const { reader, writer } = new Channel<string>({ capacity: 1 });
    await writer.write('a');
    const blocked = observe(writer.write('b'));
    await flush();
    expect(blocked.status).toBe('pending');
    // Not in the channel while it waits.
    expect(reader.count).toBe(1);
    expect(await reader.read()).toBe('a');
    await flush();
    expect(blocked.status).toBe('fulfilled');
    expect(reader.tryRead()).toBe('b');
  });

  it('never buffers more than capacity', async () => {
    const { reader, writer } = new Channel<number>({ capacity: 4 });
    const writes = Array.from({ length: 20 }, (_, i) => observe(writer.write(i)));
    const read: number[] = [];
    for (let round = 0; round < 40 && read.length < 20; round++) {
      await flush();
      expect(reader.count).toBeLessThanOrEqual(4);
      const item = reader.tryRead();
      if (item !== undefined) read.push(item);
    }
    expect(read).toEqual([...Array(20).keys()]);
    expect(writes.every((w) => w.status === 'fulfilled')).toBe(true);
  });

  it('admits waiting writers in FIFO order', async () => {
    const { reader, writer } = new Channel<number>({ capacity: 1 });
    writer.tryWrite(0);
    const order: number[] = [];
    const writes = [1, 2, 3].map((i) => writer.write(i).then(() => order.push(i)));
    for (let i = 0; i < 4; i++) {
      await flush();
      reader.tryRead();
    }
    await Promise.all(writes);
    expect(order).toEqual([1, 2, 3]);
  });

  it('queues a new write behind waiting writers even when there is room (no barging)', async () => {
    const { reader, writer } = new Channel<number>({ capacity: 4 });
    for (let i = 0; i < 4; i++) writer.tryWrite(i);
    const waiting = observe(writer.write(4));
    reader.tryRead(); // room for one, but a writer is waiting: it goes first
    expect(writer.tryWrite(99)).toBe(false);
    const late = observe(writer.write(5));
    reader.tryRead();
    await flush();
    expect(waiting.status).toBe('fulfilled');
    expect(late.status).toBe('fulfilled');
    expect(reader.drain()).toEqual([2, 3, 4, 5]);
  });

  it('wakes blocked writers together once the buffer has drained to half its capacity', async () => {
    const { reader, writer } = new Channel<number>({ capacity: 4 });
    for (let i = 0; i < 4; i++) writer.tryWrite(i);
    const writes = [4, 5, 6].map((i) => observe(writer.write(i)));
    reader.tryRead(); // 3 buffered: above half, writers keep waiting
    await flush();
    expect(writes.map((w) => w.status)).toEqual(['pending', 'pending', 'pending']);
    reader.tryRead(); // 2 buffered: half, so writers are admitted up to capacity
    await flush();
    expect(writes.map((w) => w.status)).toEqual(['fulfilled', 'fulfilled', 'pending']);
    expect(reader.count).toBe(4);
    reader.tryRead();
    reader.tryRead();
    await flush();
    expect(writes[2].status).toBe('fulfilled');
    expect(reader.drain()).toEqual([4, 5, 6]);
  });

  it('tryWrite returns false while full, and true again once there is room', () => {
    const { reader, writer } = new Channel<number>({ capacity: 2 });
    expect(writer.tryWrite(1)).toBe(true);
    expect(writer.tryWrite(2)).toBe(true);
    expect(writer.tryWrite(3)).toBe(false);
    reader.tryRead();
    expect(writer.tryWrite(3)).toBe(true);
    expect(reader.drain()).toEqual([2, 3]);
  });

  it('waitToWrite resolves true at once when there is room', async () => {
    const { writer } = new Channel<number>({ capacity: 1 });
    expect(await writer.waitToWrite()).toBe(true);
  });

  it('waitToWrite waits while full, until the buffer has drained to half', async () => {
    const { reader, writer } = new Channel<number>({ capacity: 2 });
    writer.tryWrite(1);
    writer.tryWrite(2);
    const wait = observe(writer.waitToWrite());
    await flush();
    expect(wait.status).toBe('pending');
    reader.tryRead();
    await flush();
    expect(wait).toMatchObject({ status: 'fulfilled', value: true });
    expect(writer.tryWrite(3)).toBe(true);
  });

  it('waitToWrite waits while writers wait, and resolves false on completion', async () => {
    const { writer } = new Channel<number>({ capacity: 1 });
    writer.tryWrite(1);
    const blocked = observe(writer.write(2));
    const wait = observe(writer.waitToWrite());
    await flush();
    expect(wait.status).toBe('pending');
    writer.complete();
    await flush();
    expect(wait).toMatchObject({ status: 'fulfilled', value: false });
    expect(blocked.status).toBe('rejected');
  });

  it('wakes waiting writers when drain() empties the buffer', async () => {
    const { reader, writer } = new Channel<number>({ capacity: 2 });
    writer.tryWrite(1);
    writer.tryWrite(2);
    const blocked = observe(writer.write(3));
    expect(reader.drain()).toEqual([1, 2]);
    await flush();
    expect(blocked.status).toBe('fulfilled');
    expect(reader.drain()).toEqual([3]);
  });

  it('admits a waiting writer on a read, so that the next read gets its item', async () => {
    const { reader, writer } = new Channel<number>({ capacity: 1 });
    writer.tryWrite(1);
    const blocked = observe(writer.write(2));
    expect(await reader.read()).toBe(1);
    const read = observe(reader.read());
    await flush();
    expect(blocked.status).toBe('fulfilled');
    expect(read.value).toBe(2);
  });
});
