import { describe, expect, it, jest } from '@jest/globals';
import { Channel } from '../../../lib/channel';
import { flush, observe, rejectionOf } from './channel-test-helpers';

function abortedSignal(reason: unknown = new Error('aborted')): AbortSignal {
  const controller = new AbortController();
  controller.abort(reason);
  return controller.signal;
}

describe('Channel abort signals', () => {
  describe('already aborted', () => {
    it('write rejects with the reason and writes nothing, even with room', async () => {
      const reason = new Error('stop');
      const { reader, writer } = new Channel<number>();
      expect(await rejectionOf(writer.write(1, abortedSignal(reason)))).toBe(reason);
      expect(reader.count).toBe(0);
    });

    it('read rejects with the reason and consumes nothing, even with an item ready', async () => {
      const reason = new Error('stop');
      const { reader, writer } = new Channel<number>();
      writer.tryWrite(1);
      expect(await rejectionOf(reader.read(abortedSignal(reason)))).toBe(reason);
      expect(reader.tryRead()).toBe(1);
    });

    it('waitToRead and waitToWrite reject with the reason', async () => {
      const reason = new Error('stop');
      const { reader, writer } = new Channel<number>();
      writer.tryWrite(1);
      expect(await rejectionOf(reader.waitToRead(abortedSignal(reason)))).toBe(reason);
      expect(await rejectionOf(writer.waitToWrite(abortedSignal(reason)))).toBe(reason);
    });

    it("passes the signal's default reason through", async () => {
      const controller = new AbortController();
      controller.abort();
      const { reader } = new Channel<number>();
      const error = await rejectionOf(reader.read(controller.signal));
      expect(error).toBe(controller.signal.reason);
      expect((error as Error).name).toBe('AbortError');
    });
  });

  describe('while waiting', () => {
    it('a waiting writer rejects with the reason, its item never enters, and the next writer moves up', async () => {
      const reason = new Error('give up');
      const { reader, writer } = new Channel<number>({ capacity: 1 });
      writer.tryWrite(1);
      const controller = new AbortController();
      const aborted = observe(writer.write(2, controller.signal));
      const next = observe(writer.write(3));
      controller.abort(reason);
      await flush();
      expect(aborted).toMatchObject({ status: 'rejected', reason });
      expect(reader.tryRead()).toBe(1);
      await flush();
      expect(next.status).toBe('fulfilled');
      expect(reader.drain()).toEqual([3]);
    });

    it('a waiting read rejects with the reason, and the next item goes to the next reader', async () => {
      const reason = new Error('give up');
      const { reader, writer } = new Channel<number>();
      const controller = new AbortController();
      const aborted = observe(reader.read(controller.signal));
      const next = observe(reader.read());
      controller.abort(reason);
      writer.tryWrite(1);
      await flush();
      expect(aborted).toMatchObject({ status: 'rejected', reason });
      expect(next.value).toBe(1);
    });

    it('a waiting read aborted with no other reader leaves the next item buffered (no loss)', async () => {
      const { reader, writer } = new Channel<number>();
      const controller = new AbortController();
      const aborted = observe(reader.read(controller.signal));
      controller.abort();
      writer.tryWrite(1);
      await flush();
      expect(aborted.status).toBe('rejected');
      expect(reader.tryRead()).toBe(1);
    });

    it('a read that received its item stays fulfilled when the signal aborts afterwards', async () => {
      const { reader, writer } = new Channel<number>();
      const controller = new AbortController();
      const read = observe(reader.read(controller.signal));
      writer.tryWrite(1); // delivered synchronously...
      controller.abort(); // ...so this abort comes too late
      await flush();
      expect(read).toMatchObject({ status: 'fulfilled', value: 1 });
      expect(reader.count).toBe(0);
    });

    it('a write admitted before the abort stays fulfilled, and its item stays in', async () => {
      const { reader, writer } = new Channel<number>({ capacity: 1 });
      writer.tryWrite(1);
      const controller = new AbortController();
      const write = observe(writer.write(2, controller.signal));
      reader.tryRead(); // admits the waiting writer synchronously
      controller.abort();
      await flush();
      expect(write.status).toBe('fulfilled');
      expect(reader.drain()).toEqual([2]);
    });

    it('waitToRead and waitToWrite reject with the reason', async () => {
      const reason = new Error('give up');
      const { reader, writer } = new Channel<number>({ capacity: 1 });
      const readController = new AbortController();
      const waitRead = observe(reader.waitToRead(readController.signal));
      readController.abort(reason);
      writer.tryWrite(1);
      const writeController = new AbortController();
      const waitWrite = observe(writer.waitToWrite(writeController.signal));
      writeController.abort(reason);
      await flush();
      expect(waitRead).toMatchObject({ status: 'rejected', reason });
      expect(waitWrite).toMatchObject({ status: 'rejected', reason });
    });

    it('an aborted waitToWrite does not disturb another waiting one', async () => {
      const { reader, writer } = new Channel<number>({ capacity: 1 });
      writer.tryWrite(1);
      const controller = new AbortController();
      const aborted = observe(writer.waitToWrite(controller.signal));
      const other = observe(writer.waitToWrite());
      controller.abort();
      reader.tryRead();
      await flush();
      expect(aborted.status).toBe('rejected');
      expect(other.value).toBe(true);
    });
  });

  it('removes its abort listener once an operation settles', async () => {
    const { reader, writer } = new Channel<number>({ capacity: 1 });
    const controller = new AbortController();
    const add = jest.spyOn(controller.signal, 'addEventListener');
    const remove = jest.spyOn(controller.signal, 'removeEventListener');
    for (let i = 0; i < 5; i++) {
      const read = reader.read(controller.signal);
      writer.tryWrite(i);
      await read;
      writer.tryWrite(i);
      const write = writer.write(i, controller.signal);
      reader.tryRead();
      await write;
      reader.tryRead();
    }
    const waitToRead = reader.waitToRead(controller.signal);
    writer.tryWrite(9);
    await waitToRead;
    expect(add).toHaveBeenCalledTimes(11);
    expect(remove).toHaveBeenCalledTimes(11);
  });

  it('adds no listener when the operation completes at once', async () => {
    const { reader, writer } = new Channel<number>();
    const controller = new AbortController();
    const add = jest.spyOn(controller.signal, 'addEventListener');
    await writer.write(1, controller.signal);
    await reader.read(controller.signal);
    expect(add).not.toHaveBeenCalled();
  });
});
