import { describe, expect, it, jest } from '@jest/globals';
import { Channel } from '../../../lib/channel';
import * as loaded from '../../../lib/channel/after-microtasks';

describe('deferred waitToRead wake-ups and fake timers', () => {
  it('still wake under jest.useFakeTimers() installed after the library loaded', async () => {
    jest.useFakeTimers();
    try {
      const { reader, writer } = new Channel<number>();
      const wait = reader.waitToRead();
      writer.tryWrite(1);
      expect(await wait).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('fall back to a microtask when nextTick is already a fake timer when the library loads', async () => {
    const realNextTick = process.nextTick;
    const fakeNextTick = Object.assign(jest.fn(), { clock: {} });
    process.nextTick = fakeNextTick;
    let afterMicrotasks: ((callback: () => void) => void) | undefined;
    try {
      jest.isolateModules(() => {
        // A fresh copy of the module, loaded while the fake is installed.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        ({ afterMicrotasks } = require('../../../lib/channel/after-microtasks') as typeof loaded);
      });
    } finally {
      process.nextTick = realNextTick;
    }
    const ran = jest.fn();
    afterMicrotasks?.(ran);
    await Promise.resolve();
    expect(ran).toHaveBeenCalledTimes(1);
    expect(fakeNextTick).not.toHaveBeenCalled();
  });

  it('use the real nextTick otherwise: after the microtask queue has drained', async () => {
    const { afterMicrotasks } = loaded;
    const order: string[] = [];
    afterMicrotasks(() => order.push('deferred'));
    await Promise.resolve();
    order.push('microtask 1');
    await Promise.resolve();
    order.push('microtask 2');
    await new Promise<void>((resolve) => process.nextTick(resolve));
    expect(order).toEqual(['microtask 1', 'microtask 2', 'deferred']);
  });
});
