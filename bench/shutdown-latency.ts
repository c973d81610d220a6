/**
 * Subject 7: shutdown latency in real processes, SIGTERM → exit as the parent sees it. A worker
 * with 10 idle `BackgroundService`s (the real-process test scenario) against a bare Node process
 * and a bare Nest context with `enableShutdownHooks()`; then a worker with a service that ignores
 * its abort signal, which must exit within `shutdownTimeout` + 50 ms.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkerProcess } from '../test/process/spawn-worker';
import { pick, RUNS } from './harness/mode';
import { fmt, heading, note, spread, table, verdict } from './harness/report';
import { Contender, sampleInterleaved } from './harness/sampler';

/** Compiled next to this file by `npm run bench` (bench/tsconfig.build.json). */
const OUT = join(__dirname, '..');
const SCENARIO = join(OUT, 'test', 'process', 'fixtures', 'scenario.js');
const BARE_NODE = join(__dirname, 'fixtures', 'bare-node.js');
const BARE_NEST = join(__dirname, 'fixtures', 'bare-nest.js');
const SHUTDOWN_MS = pick(200, 1000);
const ADDED_TARGET_MS = 20;
const DEADLINE_SLACK_MS = 50;
/** Lets the worker settle after it reported ready, so that the signal meets an idle process. */
const SETTLE_MS = 100;

/** ms from SIGTERM to the exit of a fresh `script` process. */
async function sigtermToExit(script: string, env: Record<string, string> = {}): Promise<number> {
  const worker = new WorkerProcess(script, env, 30_000);
  try {
    await worker.waitFor(/ready|stubborn running/, 20_000);
    await sleep(SETTLE_MS);
    worker.signal('SIGTERM');
    return (await worker.exited).ms;
  } finally {
    worker.dispose();
  }
}

const BARE_NODE_ROW = 'bare Node (`setInterval`, cleared on SIGTERM)';
const BARE_NEST_ROW = 'bare Nest context, `enableShutdownHooks()`';
const OURS_ROW = '**nestjs-hosting**: 10 idle `BackgroundService`s';
const STUBBORN_ROW = `**nestjs-hosting**: a service ignoring its signal, \`shutdownTimeout: ${SHUTDOWN_MS}\``;

async function main(): Promise<void> {
  heading(
    '7. Shutdown latency (real processes)',
    'ms from SIGTERM to the exit event in the parent (lower is better); each run spawns a fresh process.',
  );
  const contenders: Contender[] = [
    { name: BARE_NODE_ROW, run: () => sigtermToExit(BARE_NODE) },
    { name: BARE_NEST_ROW, run: () => sigtermToExit(BARE_NEST) },
    { name: OURS_ROW, run: () => sigtermToExit(SCENARIO, { SCENARIO: 'idle', SERVICES: '10' }) },
    {
      name: STUBBORN_ROW,
      run: () => sigtermToExit(SCENARIO, { SCENARIO: 'ignore-abort', SHUTDOWN_MS: String(SHUTDOWN_MS) }),
    },
  ];
  // Each run is a fresh process, so there is no JIT to warm up; the quick mode skips the warm-up round.
  const results = await sampleInterleaved(contenders, RUNS, { warmup: pick(0, 1) });
  const node = results.get(BARE_NODE_ROW)!.median;
  const nest = results.get(BARE_NEST_ROW)!.median;
  const ours = results.get(OURS_ROW)!;
  const stubborn = results.get(STUBBORN_ROW)!;
  const added = ours.median - nest;
  const overBudget = stubborn.median - SHUTDOWN_MS;
  table(
    ['Process', 'ms median', 'min', 'max', 'vs bare Node', 'vs bare Nest', 'target', 'result'],
    [
      [BARE_NODE_ROW, ...spread(results.get(BARE_NODE_ROW)!), '', '', '', ''],
      [BARE_NEST_ROW, ...spread(results.get(BARE_NEST_ROW)!), `+${fmt(nest - node)}`, '', '', ''],
      [
        OURS_ROW,
        ...spread(ours),
        `+${fmt(ours.median - node)}`,
        `+${fmt(added)}`,
        `≤ +${ADDED_TARGET_MS} ms vs bare Nest`,
        verdict(added <= ADDED_TARGET_MS),
      ],
      [
        STUBBORN_ROW,
        ...spread(stubborn),
        '',
        '',
        `≤ ${SHUTDOWN_MS} + ${DEADLINE_SLACK_MS} ms (is +${fmt(overBudget)})`,
        verdict(stubborn.max - SHUTDOWN_MS <= DEADLINE_SLACK_MS),
      ],
    ],
  );
  note('The deadline row is held to its worst run (max), not its median: a deadline is a bound.');
}

void main();
