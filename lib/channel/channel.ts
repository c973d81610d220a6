import { ChannelCore } from './channel-core';
import { ChannelFullMode, ChannelOptions } from './channel-options.interface';
import { ChannelReader } from './channel-reader';
import { ChannelWriter } from './channel-writer';
import { resolveChannelOptions } from './resolve-channel-options';

/**
 * An async FIFO between producers and consumers, after .NET's `System.Threading.Channels`:
 * unbounded by default, or bounded with a {@link ChannelFullMode}. Producers use `writer`,
 * consumers use `reader`; hand each side only the half it needs.
 *
 * Create one with `new Channel<T>(options?)`. Items must not be `undefined`.
 * @publicApi
 * @example
 * const channel = new Channel<Job>({ capacity: 100 }); // 'wait': writers wait while full
 * await channel.writer.write(job);
 * for await (const next of channel.reader) await run(next);
 */
export class Channel<T> {
  /** The consuming half. */
  readonly reader: ChannelReader<T>;
  /** The producing half. */
  readonly writer: ChannelWriter<T>;
  /** The most items buffered at once (`Infinity` when unbounded). */
  readonly capacity: number;
  /** What a write does when the channel is full. */
  readonly fullMode: ChannelFullMode;

  /** @throws InvalidOptionError when an option has a bad value. */
  constructor(options?: ChannelOptions<T>) {
    const resolved = resolveChannelOptions(options);
    const core = new ChannelCore<T>(resolved);
    this.reader = new ChannelReader(core);
    this.writer = new ChannelWriter(core);
    this.capacity = resolved.capacity;
    this.fullMode = resolved.fullMode;
  }
}
