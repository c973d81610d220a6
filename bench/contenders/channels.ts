import { Channel } from '../../lib/channel/channel';
import { nsPerItem } from '../harness/sampler';

/** What a channel contender is asked to do in one run. */
export interface ChannelRunSpec {
  readonly items: number;
  /** `Infinity`: unbounded; otherwise a bounded channel in `'wait'` mode. */
  readonly capacity: number;
}

/** One producer and one consumer moving `spec.items` numbers; resolves with ns per item. */
export type ChannelRunner = (spec: ChannelRunSpec) => Promise<number>;

/** The consumer's work per item, the same everywhere: fold it into a checksum. */
let checksum = 0;
const take = (value: number): void => {
  checksum = (checksum + value) | 0;
};
const takeAsync = async (value: number): Promise<void> => take(value);

/** Read by the subject after the runs, so that no consumer's work can be optimised away. */
export function readChecksum(): number {
  return checksum;
}

/** The floor: one async call and one await per item, no channel. */
export const floor: ChannelRunner = async ({ items }) => {
  const start = process.hrtime.bigint();
  for (let i = 1; i <= items; i++) await takeAsync(i);
  return nsPerItem(start, items);
};

type Producer = (channel: Channel<number>, items: number) => Promise<void>;
type Consumer = (channel: Channel<number>) => Promise<void>;

/** The producer most code writes: await every write (it resolves at once while there is room). */
export const awaitEachWrite: Producer = async ({ writer }, items) => {
  for (let i = 1; i <= items; i++) await writer.write(i);
  writer.complete();
};

/** The .NET idiom: `tryWrite` first, and await only when the channel is full. */
export const tryWriteFirst: Producer = async ({ writer }, items) => {
  for (let i = 1; i <= items; i++) if (!writer.tryWrite(i)) await writer.write(i);
  writer.complete();
};

/** `for await (const item of reader)`. */
export const forAwait: Consumer = async ({ reader }) => {
  for await (const value of reader) take(value);
};

/** `await reader.read()` per item, until the channel is completed. */
export const readEach: Consumer = async ({ reader }) => {
  for (;;) {
    let value: number;
    try {
      value = await reader.read();
    } catch {
      return; // ChannelClosedError: completed and drained
    }
    take(value);
  }
};

/** The batch idiom: wait once, then take everything buffered synchronously. */
export const waitThenDrain: Consumer = async ({ reader }) => {
  while (await reader.waitToRead()) {
    let value: number | undefined;
    while ((value = reader.tryRead()) !== undefined) take(value);
  }
};

/** A channel run: a producer and a consumer, timed until both have finished. */
export function channelRun(produce: Producer, consume: Consumer): ChannelRunner {
  return async ({ items, capacity }) => {
    const channel = new Channel<number>({ capacity });
    const start = process.hrtime.bigint();
    await Promise.all([consume(channel), produce(channel, items)]);
    return nsPerItem(start, items);
  };
}
