/**
 * Subject 2: channel throughput. One producer, one consumer, numbers through a `Channel`, bounded
 * (1024, `'wait'`: backpressure) and unbounded, with each way of writing and reading.
 */
import {
  awaitEachWrite,
  channelRun,
  ChannelRunner,
  ChannelRunSpec,
  floor,
  forAwait,
  readChecksum,
  readEach,
  tryWriteFirst,
  waitThenDrain,
} from './contenders/channels';
import { pick, RUNS } from './harness/mode';
import { fmt, heading, spread, table, verdict } from './harness/report';
import { sampleInterleaved } from './harness/sampler';

const ITEMS = pick(100_000, 1_000_000);
const CAPACITY = 1024;
const TARGET = 1.5;

const FLOOR = 'floor: `for … await fn(item)`';
const CONTENDERS: ReadonlyArray<[string, ChannelRunner]> = [
  [FLOOR, floor],
  ['`await write()` → `for await`', channelRun(awaitEachWrite, forAwait)],
  ['`tryWrite() ‖ await write()` → `for await`', channelRun(tryWriteFirst, forAwait)],
  ['`await write()` → `await read()`', channelRun(awaitEachWrite, readEach)],
  ['`await write()` → `waitToRead()` + `tryRead()` loop', channelRun(awaitEachWrite, waitThenDrain)],
  ['`tryWrite() ‖ await write()` → `waitToRead()` + `tryRead()` loop', channelRun(tryWriteFirst, waitThenDrain)],
];

async function main(): Promise<void> {
  heading(
    '2. Channel throughput',
    `${ITEMS.toLocaleString('en')} numbers from one producer to one consumer; ns per item (lower is better). ` +
      `The consumer folds each item into a checksum; the floor does the same in an async function, awaited.`,
  );
  for (const capacity of [CAPACITY, Infinity]) {
    const spec: ChannelRunSpec = { items: ITEMS, capacity };
    const results = await sampleInterleaved(
      CONTENDERS.map(([name, run]) => ({ name, run: () => run(spec) })),
      RUNS,
      { settleMs: pick(0, 100) },
    );
    const floorMedian = results.get(FLOOR)!.median;
    console.log(`### ${capacity === Infinity ? 'Unbounded' : `Bounded (capacity ${CAPACITY}, 'wait')`}\n`);
    table(
      ['Producer → consumer', 'ns/item median', 'min', 'max', '× floor', 'target', 'result'],
      CONTENDERS.map(([name]) => {
        const summary = results.get(name)!;
        const ratio = summary.median / floorMedian;
        return name === FLOOR
          ? [name, ...spread(summary), '1.00', '', '']
          : [name, ...spread(summary), fmt(ratio), `≤ ${TARGET}× floor`, verdict(ratio <= TARGET)];
      }),
    );
  }
  if (readChecksum() === 42) console.log(''); // keeps the consumers' work observable
}

void main();
