import { describe, expect, it } from '@jest/globals';
import { Channel, ChannelClosedError } from '../../../lib/channel';
import { isHostingError } from '../../../lib/errors/hosting-error';
import { flush, observe, rejectionOf } from './channel-test-helpers';

describe('Channel completion', () => {
  it('returns true the first time and false after, changing nothing the second time', async () => {
    const { reader, writer } = new Channel<number>();
    expect(writer.complete()).toBe(true);
    expect(writer.complete(new Error('late'))).toBe(false);
    await expect(reader.completion).resolves.toBeUndefined();
  });

  it('refuses writes after complete(): write rejects with ChannelClosedError, tryWrite returns false', async () => {
    const { reader, writer } = new Channel<number>();
    writer.complete();
    const error = await rejectionOf(writer.write(1));
    expect(error).toBeInstanceOf(ChannelClosedError);
    expect(isHostingError(error, 'HOSTING_CHANNEL_CLOSED')).toBe(true);
    expect((error as Error).message).toContain('Cannot write');
    expect(writer.tryWrite(2)).toBe(false);
    expect(reader.count).toBe(0);
  });

  it('refuses writes in every full mode after complete()', async () => {
    for (const fullMode of ['wait', 'dropOldest', 'dropNewest', 'reject'] as const) {
      const { writer } = new Channel<number>({ capacity: 1, fullMode });
      writer.complete();
      expect(await rejectionOf(writer.write(1))).toBeInstanceOf(ChannelClosedError);
      expect(writer.tryWrite(1)).toBe(false);
    }
  });

  it('gives the completion error as the cause of a refused write', async () => {
    const failure = new Error('producer failed');
    const { writer } = new Channel<number>();
    writer.complete(failure);
    expect(((await rejectionOf(writer.write(1))) as Error).cause).toBe(failure);
  });

  it('rejects writers waiting for room with ChannelClosedError; their items are never read', async () => {
    const failure = new Error('stopping');
    const { reader, writer } = new Channel<number>({ capacity: 1 });
    writer.tryWrite(1);
    const blocked = [observe(writer.write(2)), observe(writer.write(3))];
    writer.complete(failure);
    await flush();
    for (const write of blocked) {
      expect(write.status).toBe('rejected');
      expect(write.reason).toBeInstanceOf(ChannelClosedError);
      expect((write.reason as Error).cause).toBe(failure);
      expect((write.reason as Error).message).toContain('the item was not written');
    }
    // Each gets its own error instance.
    expect(blocked[0].reason).not.toBe(blocked[1].reason);
    expect(reader.tryRead()).toBe(1);
    expect(reader.tryRead()).toBeUndefined();
  });

  it('waitToWrite resolves false after complete(), with or without an error', async () => {
    const plain = new Channel<number>();
    plain.writer.complete();
    expect(await plain.writer.waitToWrite()).toBe(false);
    const failed = new Channel<number>({ capacity: 1 });
    failed.writer.tryWrite(1);
    failed.writer.complete(new Error('for readers'));
    expect(await failed.writer.waitToWrite()).toBe(false);
  });

  it('lets readers drain buffered items after complete(), then read rejects with ChannelClosedError', async () => {
    const { reader, writer } = new Channel<number>();
    writer.tryWrite(1);
    writer.tryWrite(2);
    writer.complete();
    expect(await reader.read()).toBe(1);
    expect(await reader.read()).toBe(2);
    const error = await rejectionOf(reader.read());
    expect(error).toBeInstanceOf(ChannelClosedError);
    expect((error as Error).message).toContain('Cannot read');
    expect((error as Error).cause).toBeUndefined();
  });

  it('gives the completion error as the cause of a read that finds the channel finished', async () => {
    const failure = new Error('producer failed');
    const { reader, writer } = new Channel<number>();
    writer.complete(failure);
    expect(((await rejectionOf(reader.read())) as Error).cause).toBe(failure);
  });

  it('rejects waiting reads when completed while empty', async () => {
    const failure = new Error('boom');
    const { reader, writer } = new Channel<number>();
    const reads = [observe(reader.read()), observe(reader.read())];
    writer.complete(failure);
    await flush();
    for (const read of reads) {
      expect(read.reason).toBeInstanceOf(ChannelClosedError);
      expect((read.reason as Error).cause).toBe(failure);
    }
  });

  it('waitToRead resolves false once completed and drained, and true while items remain', async () => {
    const { reader, writer } = new Channel<number>();
    const waiting = observe(reader.waitToRead());
    writer.tryWrite(1);
    writer.complete();
    expect(await reader.waitToRead()).toBe(true);
    await flush();
    expect(waiting.value).toBe(true);
    reader.tryRead();
    expect(await reader.waitToRead()).toBe(false);
  });

  it('resolves a waiting waitToRead with false on complete() while empty', async () => {
    const { reader, writer } = new Channel<number>();
    const waiting = observe(reader.waitToRead());
    writer.complete();
    await flush();
    expect(waiting).toMatchObject({ status: 'fulfilled', value: false });
  });

  it('rejects waitToRead with the completion error itself once drained (as .NET does)', async () => {
    const failure = new Error('producer failed');
    const { reader, writer } = new Channel<number>();
    const waiting = observe(reader.waitToRead());
    writer.complete(failure);
    await flush();
    expect(waiting.reason).toBe(failure);
    expect(await rejectionOf(reader.waitToRead())).toBe(failure);
  });

  it('settles completion only once completed and drained', async () => {
    const { reader, writer } = new Channel<number>();
    const completion = observe(reader.completion);
    writer.tryWrite(1);
    writer.complete();
    await flush();
    expect(completion.status).toBe('pending');
    reader.tryRead();
    await flush();
    expect(completion.status).toBe('fulfilled');
  });

  it('settles completion when drain() empties a completed channel', async () => {
    const { reader, writer } = new Channel<number>();
    writer.tryWrite(1);
    writer.complete();
    expect(reader.drain()).toEqual([1]);
    await expect(reader.completion).resolves.toBeUndefined();
  });

  it('rejects completion with the completion error', async () => {
    const failure = new Error('producer failed');
    const { reader, writer } = new Channel<number>();
    writer.complete(failure);
    expect(await rejectionOf(reader.completion)).toBe(failure);
    expect(reader.completion).toBe(reader.completion);
  });

  it('does not report an unobserved completion rejection as unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { writer } = new Channel<number>();
      writer.complete(new Error('nobody listens'));
      // Node reports unhandled rejections after the microtask queue drains, in its tick phase.
      await flush(8);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });

  it('keeps a non-Error completion value as given', async () => {
    const { reader, writer } = new Channel<number>();
    writer.complete('stopped');
    expect(await rejectionOf(reader.completion)).toBe('stopped');
    expect(((await rejectionOf(reader.read())) as Error).cause).toBe('stopped');
  });
});
