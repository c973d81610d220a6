import { describe, expect, it } from '@jest/globals';
import { Channel } from '../../../lib/channel';
import { ChannelOptions } from '../../../lib/channel/channel-options.interface';
import { isHostingError } from '../../../lib/errors/hosting-error';
import { InvalidOptionError } from '../../../lib/errors/invalid-option.error';

function optionError(create: () => unknown): InvalidOptionError {
  try {
    create();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toBeInstanceOf(TypeError);
    expect(isHostingError(error, 'HOSTING_INVALID_OPTION')).toBe(true);
    return error as InvalidOptionError;
  }
  throw new Error('Expected an InvalidOptionError');
}

describe('Channel options', () => {
  it('defaults to unbounded and wait', () => {
    const channel = new Channel<number>();
    expect(channel.capacity).toBe(Infinity);
    expect(channel.fullMode).toBe('wait');
    for (let i = 0; i < 1000; i++) expect(channel.writer.tryWrite(i)).toBe(true);
    expect(channel.reader.count).toBe(1000);
  });

  it('treats options given as undefined as defaults', () => {
    const channel = new Channel<number>({ capacity: undefined, fullMode: undefined, onDrop: undefined });
    expect(channel.capacity).toBe(Infinity);
    expect(channel.fullMode).toBe('wait');
  });

  it('accepts a positive integer capacity and Infinity', () => {
    expect(new Channel({ capacity: 1 }).capacity).toBe(1);
    expect(new Channel({ capacity: 3 }).capacity).toBe(3);
    expect(new Channel({ capacity: Infinity }).capacity).toBe(Infinity);
  });

  it.each([0, -1, 1.5, NaN, -Infinity, '3', null, 10n])(
    'rejects capacity %p, naming the option and the value',
    (bad) => {
      const error = optionError(() => new Channel({ capacity: bad as number }));
      expect(error.option).toBe('capacity');
      expect(error.value).toBe(bad);
      expect(error.message).toContain('`capacity`');
      expect(error.message).toContain('positive integer or Infinity');
    },
  );

  it.each(['wait', 'dropOldest', 'dropNewest', 'reject'] as const)('accepts fullMode %p', (fullMode) => {
    expect(new Channel({ capacity: 2, fullMode }).fullMode).toBe(fullMode);
  });

  it.each(['drop', 'DropOldest', '', 1, null])('rejects fullMode %p', (bad) => {
    const error = optionError(() => new Channel({ fullMode: bad as 'wait' }));
    expect(error.option).toBe('fullMode');
    expect(error.value).toBe(bad);
    expect(error.message).toContain("'dropOldest'");
  });

  it('rejects an onDrop that is not a function', () => {
    const error = optionError(() => new Channel({ onDrop: 'log' as unknown as () => void }));
    expect(error.option).toBe('onDrop');
  });

  it('rejects options that are not an object', () => {
    const error = optionError(() => new Channel(null as unknown as ChannelOptions<number>));
    expect(error.option).toBe('options');
  });
});

describe('undefined items', () => {
  it('rejects write(undefined) with a TypeError naming the item, and writes nothing', async () => {
    const channel = new Channel<number | undefined>();
    const write = channel.writer.write(undefined);
    const error = await write.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).option).toBe('item');
    expect((error as Error).message).toContain('`item`');
    expect(channel.reader.count).toBe(0);
  });

  it('throws from tryWrite(undefined), and writes nothing', () => {
    const channel = new Channel<number | undefined>();
    expect(() => channel.writer.tryWrite(undefined)).toThrow(InvalidOptionError);
    expect(channel.reader.count).toBe(0);
  });

  it('accepts null and falsy items', async () => {
    const channel = new Channel<unknown>();
    for (const item of [null, 0, '', false, NaN]) await channel.writer.write(item);
    expect(channel.reader.drain()).toEqual([null, 0, '', false, NaN]);
  });
});
