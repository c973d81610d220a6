import { setTimeout as sleep } from 'node:timers/promises';
import { Summary, summarize } from './stats';

/** One thing being measured: `run` does a whole measured run and returns its figure. */
export interface Contender {
  readonly name: string;
  run(): Promise<number>;
}

const collect = (globalThis as { gc?: () => void }).gc;

/** Collects garbage if the process runs with `--expose-gc`, so one run does not pay for another's. */
export function collectGarbage(): void {
  collect?.();
}

/**
 * Runs every contender `warmup` times, then `runs` times round-robin: on a shared, noisy machine a
 * burst of load then hits every contender alike instead of whichever ran at that moment, which is
 * what makes the ratios within one run trustworthy. Garbage is collected before each run, then
 * `settleMs` let V8's background threads finish sweeping a large heap: on two cores they would
 * otherwise slow down the run after a contender that kept a million items alive.
 */
export async function sampleInterleaved(
  contenders: readonly Contender[],
  runs: number,
  { warmup = 1, settleMs = 0 }: { warmup?: number; settleMs?: number } = {},
): Promise<Map<string, Summary>> {
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = -warmup; round < runs; round++) {
    for (const contender of contenders) {
      collectGarbage();
      if (settleMs > 0) await sleep(settleMs);
      const value = await contender.run();
      if (round >= 0) samples.get(contender.name)!.push(value);
    }
  }
  return new Map([...samples].map(([name, values]) => [name, summarize(values)]));
}

/** Nanoseconds per item of `items` items processed between `start` (from hrtime.bigint) and now. */
export function nsPerItem(start: bigint, items: number): number {
  return Number(process.hrtime.bigint() - start) / items;
}
