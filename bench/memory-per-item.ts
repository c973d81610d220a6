/**
 * Subject 3: memory per pending item. 1e6 items wait in a queue whose consumer does not run; the
 * heap grows by what each queue keeps per item. Every item is the same function, so the delta is
 * the queue's own cost "beyond the work item". Needs `--expose-gc` (the runner passes it).
 */
import * as asyncLib from 'async';
import fastq from 'fastq';
import { Channel } from '../lib/channel/channel';
import { TaskQueue } from '../lib/queue/background-task-queue';
import { normalizeTaskQueueOptions } from '../lib/queue/task-queue.options';
import { pick, RUNS } from './harness/mode';
import { fmt, heading, note, spread, table, verdict } from './harness/report';
import { collectGarbage, Contender, sampleInterleaved } from './harness/sampler';

const ITEMS = pick(50_000, 1_000_000);
const TARGET_BYTES = 32;
const item = async (): Promise<void> => undefined;
const ignore = (): void => undefined;

/** Fills a paused queue with ITEMS items and returns it (kept alive while the heap is measured). */
type Fill = () => Promise<unknown>;

const FILLS: ReadonlyArray<[string, Fill]> = [
  [
    'floor: plain array (`push`)',
    async () => {
      const array: unknown[] = [];
      for (let i = 0; i < ITEMS; i++) array.push(item);
      return array;
    },
  ],
  [
    '**nestjs-hosting** queue (consumer not started)',
    async () => {
      const queue = new TaskQueue(normalizeTaskQueueOptions({ capacity: Infinity }), ignore);
      for (let i = 0; i < ITEMS; i++) queue.tryEnqueue(item);
      return queue;
    },
  ],
  [
    '**nestjs-hosting** `Channel` (unbounded)',
    async () => {
      const channel = new Channel<typeof item>();
      for (let i = 0; i < ITEMS; i++) channel.writer.tryWrite(item);
      return channel;
    },
  ],
  [
    'fastq (callback API, paused)',
    async () => {
      const queue = fastq((work: typeof item, done: fastq.done) => void work().then(done as () => void, done), 1);
      queue.pause();
      for (let i = 0; i < ITEMS; i++) queue.push(item);
      return queue;
    },
  ],
  [
    'fastq (promise API, paused)',
    async () => {
      const queue = fastq.promise((work: typeof item) => work(), 1);
      queue.pause();
      for (let i = 0; i < ITEMS; i++) void queue.push(item);
      return queue;
    },
  ],
  [
    'async.queue (paused)',
    async () => {
      const queue = asyncLib.queue((work: typeof item, done: () => void) => void work().then(done, done), 1);
      queue.pause();
      for (let i = 0; i < ITEMS; i++) queue.push(item, ignore);
      return queue;
    },
  ],
  [
    'p-queue (`autoStart: false`)',
    async () => {
      const { default: PQueue } = await import('p-queue');
      const queue = new PQueue({ autoStart: false });
      for (let i = 0; i < ITEMS; i++) void queue.add(item);
      return queue;
    },
  ],
];
const [FLOOR, OURS] = FILLS.map(([name]) => name) as [string, string];

/** Bytes of heap per item that `fill` keeps, after full collections before and after. */
async function bytesPerItem(fill: Fill): Promise<number> {
  collectGarbage();
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const kept = await fill();
  collectGarbage();
  collectGarbage();
  const after = process.memoryUsage().heapUsed;
  if (kept === undefined) throw new Error('unreachable: keeps the queue alive until measured');
  return (after - before) / ITEMS;
}

async function main(): Promise<void> {
  if (!(globalThis as { gc?: unknown }).gc) throw new Error('run with node --expose-gc (npm run bench does)');
  heading(
    '3. Memory per pending item',
    `${ITEMS.toLocaleString('en')} items waiting, nothing consuming; heap delta after full GC, in bytes per item ` +
      '(lower is better). Every item is the same function, so this is what the queue adds beyond the work item.',
  );
  const contenders: Contender[] = FILLS.map(([name, fill]) => ({ name, run: () => bytesPerItem(fill) }));
  const results = await sampleInterleaved(contenders, RUNS);
  const floorMedian = results.get(FLOOR)!.median;
  table(
    ['Queue', 'B/item median', 'min', 'max', '× floor', 'target', 'result'],
    FILLS.map(([name]) => {
      const summary = results.get(name)!;
      const isOurs = name.startsWith('**');
      return [
        name,
        ...spread(summary),
        fmt(summary.median / floorMedian),
        isOurs ? `≤ ${TARGET_BYTES} B` : '',
        isOurs ? verdict(summary.median <= TARGET_BYTES) : '',
      ];
    }),
  );
  note(
    `A ring of 2^k slots holds them (8 B a slot on 64-bit V8 without pointer compression), so ` +
      `${ITEMS.toLocaleString('en')} items sit in ${2 ** Math.ceil(Math.log2(ITEMS))} slots. The ${OURS} row and the ` +
      'channel row are the same buffer: an unlabelled item is stored as the function itself.',
  );
}

void main();
