import { describe, expect, it, jest } from '@jest/globals';
import { Channel, ChannelFullError } from '../../../lib/channel';
import { isHostingError } from '../../../lib/errors/hosting-error';
import { flush, observe, rejectionOf } from './channel-test-helpers';

describe("fullMode 'dropOldest'", () => {
  it('evicts the oldest buffered item to admit the new one, and reports it to onDrop', async () => {
    const dropped: number[] = [];
    const { reader, writer } = new Channel<number>({
      capacity: 3,
      fullMode: 'dropOldest',
      onDrop: (i) => dropped.push(i),
    });
    for (let i = 1; i <= 5; i++) await writer.write(i);
    expect(dropped).toEqual([1, 2]);
    expect(reader.drain()).toEqual([3, 4, 5]);
  });

  it('accepts with tryWrite too, and never waits', () => {
    const { reader, writer } = new Channel<number>({ capacity: 1, fullMode: 'dropOldest' });
    expect(writer.tryWrite(1)).toBe(true);
    expect(writer.tryWrite(2)).toBe(true);
    expect(reader.drain()).toEqual([2]);
  });
});

describe("fullMode 'dropNewest'", () => {
  it('evicts the newest buffered item to admit the new one, and reports it to onDrop', async () => {
    const dropped: number[] = [];
    const { reader, writer } = new Channel<number>({
      capacity: 3,
      fullMode: 'dropNewest',
      onDrop: (i) => dropped.push(i),
    });
    for (let i = 1; i <= 5; i++) await writer.write(i);
    expect(dropped).toEqual([3, 4]);
    expect(reader.drain()).toEqual([1, 2, 5]);
  });

  it('accepts with tryWrite too', () => {
    const { reader, writer } = new Channel<number>({ capacity: 1, fullMode: 'dropNewest' });
    expect(writer.tryWrite(1)).toBe(true);
    expect(writer.tryWrite(2)).toBe(true);
    expect(reader.drain()).toEqual([2]);
  });
});

describe.each(['dropOldest', 'dropNewest'] as const)("fullMode '%s'", (fullMode) => {
  it('calls onDrop synchronously, after the channel was updated', () => {
    const channel = new Channel<number>({
      capacity: 2,
      fullMode,
      onDrop: () => seen.push([...channel.reader.drain()]),
    });
    const seen: number[][] = [];
    channel.writer.tryWrite(1);
    channel.writer.tryWrite(2);
    channel.writer.tryWrite(3);
    // The callback ran inside tryWrite, and already saw the new item in the channel.
    expect(seen).toEqual([fullMode === 'dropOldest' ? [2, 3] : [1, 3]]);
  });

  it('does not call onDrop while there is room', () => {
    const onDrop = jest.fn();
    const { writer } = new Channel<number>({ capacity: 2, fullMode, onDrop });
    writer.tryWrite(1);
    writer.tryWrite(2);
    expect(onDrop).not.toHaveBeenCalled();
  });

  it('lets a throwing onDrop reach the writer, with the item accepted and the channel intact', async () => {
    const failure = new Error('onDrop failed');
    const { reader, writer } = new Channel<number>({
      capacity: 2,
      fullMode,
      onDrop: () => {
        throw failure;
      },
    });
    writer.tryWrite(1);
    writer.tryWrite(2);
    expect(() => writer.tryWrite(3)).toThrow(failure);
    expect(await rejectionOf(writer.write(4))).toBe(failure);
    expect(reader.count).toBe(2);
    expect(reader.drain()).toEqual(fullMode === 'dropOldest' ? [3, 4] : [1, 4]);
    // Still usable.
    expect(writer.tryWrite(5)).toBe(true);
    expect(await reader.read()).toBe(5);
  });

  it('hands a write to a waiting reader without dropping anything', async () => {
    const onDrop = jest.fn();
    const { reader, writer } = new Channel<number>({ capacity: 1, fullMode, onDrop });
    const read = observe(reader.read());
    writer.tryWrite(1);
    writer.tryWrite(2);
    await flush();
    expect(read.value).toBe(1);
    expect(onDrop).not.toHaveBeenCalled();
    expect(reader.drain()).toEqual([2]);
  });

  it('waitToWrite resolves true at once even when full', async () => {
    const { writer } = new Channel<number>({ capacity: 1, fullMode });
    writer.tryWrite(1);
    expect(await writer.waitToWrite()).toBe(true);
  });
});

describe("fullMode 'reject'", () => {
  it('rejects a write to a full channel with ChannelFullError, leaving the channel as it was', async () => {
    const onDrop = jest.fn();
    const { reader, writer } = new Channel<number>({ capacity: 2, fullMode: 'reject', onDrop });
    await writer.write(1);
    await writer.write(2);
    const error = await rejectionOf(writer.write(3));
    expect(error).toBeInstanceOf(ChannelFullError);
    expect(isHostingError(error, 'HOSTING_CHANNEL_FULL')).toBe(true);
    expect((error as ChannelFullError).capacity).toBe(2);
    expect((error as Error).message).toContain('capacity 2');
    expect(onDrop).not.toHaveBeenCalled();
    expect(reader.drain()).toEqual([1, 2]);
  });

  it('tryWrite returns false when full', () => {
    const { reader, writer } = new Channel<number>({ capacity: 1, fullMode: 'reject' });
    expect(writer.tryWrite(1)).toBe(true);
    expect(writer.tryWrite(2)).toBe(false);
    reader.tryRead();
    expect(writer.tryWrite(3)).toBe(true);
  });

  it('waitToWrite waits for room', async () => {
    const { reader, writer } = new Channel<number>({ capacity: 1, fullMode: 'reject' });
    writer.tryWrite(1);
    const wait = observe(writer.waitToWrite());
    await flush();
    expect(wait.status).toBe('pending');
    reader.tryRead();
    await flush();
    expect(wait.value).toBe(true);
  });
});

describe.each(['wait', 'dropOldest', 'dropNewest', 'reject'] as const)("unbounded, fullMode '%s'", (fullMode) => {
  it('never drops, refuses or waits', async () => {
    const onDrop = jest.fn();
    const { reader, writer } = new Channel<number>({ fullMode, onDrop });
    for (let i = 0; i < 3000; i++) await writer.write(i);
    expect(onDrop).not.toHaveBeenCalled();
    expect(reader.count).toBe(3000);
  });
});
