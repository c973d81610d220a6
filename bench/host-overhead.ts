/**
 * Subject 6: host overhead. `NestFactory.createApplicationContext()` (init: start) + `close()`
 * (stop) of an application with N no-op hosted services, against the same application with N
 * plain providers that have no-op `onApplicationBootstrap`/`beforeApplicationShutdown` hooks.
 * The cost per service is the difference, after taking off the module's one-off cost (N = 0).
 */
import 'reflect-metadata';
import { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { hostModule } from './fixtures/host-modules';
import { pick, RUNS } from './harness/mode';
import { fmt, heading, note, spread, table, verdict } from './harness/report';
import { Contender, sampleInterleaved } from './harness/sampler';
import { Summary } from './harness/stats';

const SIZES = [0, 1, 100, 1000];
const TARGET_US = 10;
/**
 * Small applications start in about a millisecond: time a batch of about 500 services' worth (at
 * least 3 applications), so that one garbage collection or scheduler hiccup is not the figure.
 */
const repetitions = (size: number): number => Math.max(pick(1, 3), Math.ceil(pick(20, 500) / Math.max(size, 1)));
/** Below this many services the per-service figure is smaller than the run-to-run noise. */
const RESOLVABLE = 100;

/** µs for one start + stop of `module`, averaged over a batch. */
async function startStop(module: DynamicModule, size: number): Promise<number> {
  const reps = repetitions(size);
  const start = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) {
    const app = await NestFactory.createApplicationContext(module, { logger: false, abortOnError: false });
    await app.close();
  }
  return Number(process.hrtime.bigint() - start) / 1000 / reps;
}

async function main(): Promise<void> {
  heading(
    '6. Host overhead',
    'µs for `createApplicationContext()` + `close()` (lower is better): N no-op `@HostedService()`s under ' +
      '`HostedServicesModule.forRoot()` against N plain providers with no-op `onApplicationBootstrap` and ' +
      '`beforeApplicationShutdown` hooks and no module.',
  );
  const contenders: Contender[] = SIZES.flatMap((size) =>
    (['plain', 'hosted'] as const).map((kind) => {
      const module = hostModule(kind, size);
      return { name: `${kind} ${size}`, run: () => startStop(module, size) };
    }),
  );
  const results = await sampleInterleaved(contenders, RUNS);
  const at = (kind: string, size: number): Summary => results.get(`${kind} ${size}`)!;
  const fixed = at('hosted', 0).median - at('plain', 0).median;
  const perService = new Map(
    SIZES.filter((n) => n > 0).map((n) => [n, (at('hosted', n).median - at('plain', n).median - fixed) / n]),
  );
  table(
    [
      'N',
      'plain µs median',
      'min',
      'max',
      'hosted µs median',
      'min',
      'max',
      'added µs',
      'per service µs',
      'target',
      'result',
    ],
    SIZES.map((n) => {
      const added = at('hosted', n).median - at('plain', n).median;
      const per = perService.get(n);
      return [
        String(n),
        ...spread(at('plain', n)),
        ...spread(at('hosted', n)),
        fmt(added),
        per === undefined ? '(module, once)' : fmt(per),
        per === undefined ? '' : `≤ ${TARGET_US} µs`,
        per === undefined ? '' : n < RESOLVABLE ? 'n/a (noise)' : verdict(per <= TARGET_US),
      ];
    }),
  );
  const slope =
    (at('hosted', 1000).median - at('hosted', 100).median - (at('plain', 1000).median - at('plain', 100).median)) / 900;
  const linear = slope <= 1.5 * Math.max(perService.get(100)!, 1);
  note(
    `Per service = (hosted − plain − the N = 0 difference, ${fmt(fixed)} µs) / N. At N = 1 that is a difference ` +
      'of four noisy millisecond-long figures, so it is shown but not judged. Marginal cost from 100 to 1000 ' +
      `services: ${fmt(slope)} µs per service, against ${fmt(perService.get(100)!)} µs at 100 — ` +
      `linear growth: **${verdict(linear)}** (marginal ≤ 1.5× the average at 100).`,
  );
}

void main();
