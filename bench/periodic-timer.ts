/**
 * Subject 4: periodic timer. Each contender ticks every 10 ms, 500 times, idle and under a 25 %
 * in-process CPU load; every arrival is compared with the ideal schedule `k × 10 ms` from the
 * moment the timer was created.
 * - drift: the grid points delivered by the time the 500th was due (+ half a period), minus 500;
 * - lateness: arrival minus the due time of the grid point the tick stands for (p99, max);
 * - coalesced: grid points folded into a later tick after a stall (only `PeriodicTimer` does).
 */
import { CpuLoad } from './contenders/cpu-load';
import { deadlineTimeout, periodicTimer, plainInterval, promisesInterval, Tick, TickRunner } from './contenders/timers';
import { pick } from './harness/mode';
import { fmt, heading, note, spread, table, verdict } from './harness/report';
import { quantile, summarize } from './harness/stats';

const PERIOD_MS = 10;
const PERIODS = pick(20, 500);
const WARMUP_PERIODS = pick(5, 20);
/** Each run takes PERIODS × 10 ms (5 s in full mode), so the 5 runs the issue asks for, not more. */
const RUNS = pick(3, 5);
const TARGET_P99 = { idle: 1, load: 6 } as const;

const FLOOR = 'floor: deadline `setTimeout` (hand-rolled)';
const OURS = '**nestjs-hosting** `PeriodicTimer`';
const CONTENDERS: ReadonlyArray<[string, TickRunner]> = [
  [FLOOR, deadlineTimeout],
  [OURS, periodicTimer],
  ['`setInterval`', plainInterval],
  ['`timers/promises` `setInterval`', promisesInterval],
];

interface RunFigures {
  drift: number;
  p99: number;
  max: number;
  coalesced: number;
}

function figures(ticks: readonly Tick[]): RunFigures {
  const lateness = ticks.map(({ index, at }) => at - index * PERIOD_MS);
  const deadline = (PERIODS + 0.5) * PERIOD_MS;
  const onTime = ticks.filter(({ at }) => at <= deadline);
  return {
    drift: (onTime.length > 0 ? onTime[onTime.length - 1].index : 0) - PERIODS,
    p99: quantile(lateness, 0.99),
    max: Math.max(...lateness),
    coalesced: ticks[ticks.length - 1].index - ticks.length,
  };
}

/** Runs every contender RUNS times, round-robin, under the given condition. */
async function measure(condition: 'idle' | 'load'): Promise<{ results: Map<string, RunFigures[]>; share: number }> {
  const results = new Map<string, RunFigures[]>(CONTENDERS.map(([name]) => [name, []]));
  const load = new CpuLoad();
  if (condition === 'load') load.start();
  for (const [, run] of CONTENDERS) await run(WARMUP_PERIODS, PERIOD_MS);
  for (let round = 0; round < RUNS; round++) {
    for (const [name, run] of CONTENDERS) results.get(name)!.push(figures(await run(PERIODS, PERIOD_MS)));
  }
  const share = load.share;
  load.stop();
  return { results, share };
}

function report(condition: 'idle' | 'load', results: Map<string, RunFigures[]>): void {
  const target = TARGET_P99[condition];
  const floorP99 = summarize(results.get(FLOOR)!.map((r) => r.p99)).median;
  table(
    [
      'Timer',
      'drift (ticks) median',
      'min',
      'max',
      'p99 lateness ms median',
      'min',
      'max',
      'worst ms',
      'coalesced (all runs)',
      'p99 × floor',
      'target',
      'result',
    ],
    CONTENDERS.map(([name]) => {
      const runs = results.get(name)!;
      const drift = summarize(runs.map((r) => r.drift));
      const p99 = summarize(runs.map((r) => r.p99));
      const worst = Math.max(...runs.map((r) => r.max));
      const isOurs = name === OURS;
      const pass = Math.max(Math.abs(drift.min), Math.abs(drift.max)) === 0 && p99.median <= target;
      return [
        name,
        fmt(drift.median),
        fmt(drift.min),
        fmt(drift.max),
        ...spread(p99),
        fmt(worst),
        String(runs.reduce((sum, r) => sum + r.coalesced, 0)),
        fmt(p99.median / floorP99),
        isOurs ? `0 drift, p99 ≤ ${target} ms` : '',
        isOurs ? verdict(pass) : '',
      ];
    }),
  );
}

async function main(): Promise<void> {
  heading(
    '4. Periodic timer',
    `${PERIODS} periods of ${PERIOD_MS} ms per run. Drift: grid points delivered by the time point ${PERIODS} was ` +
      `due (+ half a period) − ${PERIODS}. Lateness: arrival − (start + k × ${PERIOD_MS} ms) for the point k a tick ` +
      'stands for. Coalesced: points folded into a later tick after a stall (`PeriodicTimer` only, by design).',
    RUNS,
  );
  const idle = await measure('idle');
  console.log('### Idle\n');
  report('idle', idle.results);
  const loaded = await measure('load');
  console.log('### Under a 25 % in-process CPU load\n');
  report('load', loaded.results);
  note(
    `The load spins the event loop for 4.75 ms every 19 ms (measured share: ${fmt(loaded.share * 100)} %); 19 ms shares ` +
      'no factor with the period, so ticks meet every phase of it. A tick due during a spin cannot run before the ' +
      'spin ends, so about 4.75 ms of lateness is the floor any in-process timer can reach under this load.',
  );
}

void main();
