/**
 * Subject 1: task queue throughput. One producer pushes trivial async items; the time runs until
 * the last one has run. Bulk: everything is pushed, then drained. Backpressured: at most 1024
 * items wait, and the producer waits for room. Concurrency 1 and 8.
 */
import {
  asyncQueue,
  fastqCallback,
  fastqPromise,
  floor,
  oursAwaitEach,
  oursTryFirst,
  pQueue,
} from './contenders/queues';
import { QueueRunner, QueueRunSpec } from './contenders/countdown';
import { pick, RUNS } from './harness/mode';
import { fmt, heading, spread, table, verdict } from './harness/report';
import { sampleInterleaved } from './harness/sampler';
import { Summary } from './harness/stats';

const ITEMS = pick(30_000, 1_000_000);
const CAPACITY = 1024;
const SETTLE_MS = pick(0, 100);

const FLOOR = 'floor: `for … await item()`';
const OURS_AWAIT = '**nestjs-hosting**: `await enqueue()` each item';
const OURS_TRY = '**nestjs-hosting**: `tryEnqueue() ‖ await enqueue()`';
const OURS_BULK = '**nestjs-hosting**: `enqueue()` (not awaited)';
const FASTQ_CALLBACK = 'fastq (callback API)';
const OTHERS: ReadonlyArray<[string, QueueRunner]> = [
  [FASTQ_CALLBACK, fastqCallback],
  ['fastq (promise API)', fastqPromise],
  ['async.queue', asyncQueue],
  ['p-queue', pQueue],
];

/**
 * The rows of one table. The others' producers await only when the queue is full, so the row they
 * are compared with is ours with the same kind of producer: `tryEnqueue` first, or bulk.
 */
function contenders(bulk: boolean): { rows: ReadonlyArray<[string, QueueRunner]>; comparable: string } {
  const ours: ReadonlyArray<[string, QueueRunner]> = bulk
    ? [[OURS_BULK, oursAwaitEach]]
    : [
        [OURS_AWAIT, oursAwaitEach],
        [OURS_TRY, oursTryFirst],
      ];
  return { rows: [[FLOOR, floor], ...ours, ...OTHERS], comparable: bulk ? OURS_BULK : OURS_TRY };
}

/** The target each row is held to, and whether it is met. */
function target(name: string, results: Map<string, Summary>, comparable: string): [string, string] {
  if (name === FLOOR) return ['', ''];
  const median = results.get(name)!.median;
  if (name.startsWith('**')) return ['≤ 1.5× floor', verdict(median <= 1.5 * results.get(FLOOR)!.median)];
  const ours = results.get(comparable)!.median;
  if (name === FASTQ_CALLBACK) return ['slower than ours', verdict(median > ours)];
  return [`≥ 2.5× ours (is ${fmt(median / ours)}×)`, verdict(median >= 2.5 * ours)];
}

async function main(): Promise<void> {
  heading(
    '1. Task queue throughput',
    `${ITEMS.toLocaleString('en')} trivial async items, one producer; ns per item (lower is better). ` +
      `Backpressured: at most ${CAPACITY} items waiting; bulk: all pushed, then drained.`,
  );
  for (const concurrency of [1, 8]) {
    for (const capacity of [CAPACITY, Infinity]) {
      const spec: QueueRunSpec = { items: ITEMS, concurrency, capacity };
      const { rows, comparable } = contenders(capacity === Infinity);
      const results = await sampleInterleaved(
        rows.map(([name, run]) => ({ name, run: () => run(spec) })),
        RUNS,
        { settleMs: SETTLE_MS },
      );
      const floorMedian = results.get(FLOOR)!.median;
      console.log(
        `### Concurrency ${concurrency}, ${capacity === Infinity ? 'bulk' : `backpressured (${CAPACITY} waiting)`}\n`,
      );
      table(
        ['Contender', 'ns/item median', 'min', 'max', '× floor', 'target', 'result'],
        rows.map(([name]) => {
          const summary = results.get(name)!;
          return [name, ...spread(summary), fmt(summary.median / floorMedian), ...target(name, results, comparable)];
        }),
      );
    }
  }
}

void main();
