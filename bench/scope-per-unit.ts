/**
 * Subject 5: a scope per unit of work. `createScope()` + `resolve()` + `dispose()` against Nest's
 * bare `moduleRef.resolve(token, ContextIdFactory.create())`, for a request-scoped handler with
 * 0, 1 and 3 request-scoped dependencies. Timed with mitata (time per operation, its own warm-up
 * and batching); each row is the median, min and max of RUNS mitata measurements, interleaved.
 */
import 'reflect-metadata';
import { ContextIdFactory, NestFactory } from '@nestjs/core';
import { ServiceScopeFactory } from '../lib/scope/service-scope-factory';
import { HANDLERS, Refs, ScopedModule } from './fixtures/scoped-providers';
import { pick, RUNS } from './harness/mode';
import { fmt, heading, spread, table, verdict } from './harness/report';
import { Contender, sampleInterleaved } from './harness/sampler';

const TARGET = 1.2;
/** mitata's budget per measurement: its defaults (batches of 4096 calls) take seconds per row here. */
const MITATA = pick(
  { min_cpu_time: 20e6, batch_samples: 64, min_samples: 5 },
  { min_cpu_time: 300e6, batch_samples: 512, min_samples: 12 },
);

async function main(): Promise<void> {
  const { measure } = await import('mitata');
  const app = await NestFactory.createApplicationContext(ScopedModule, { logger: false, abortOnError: false });
  const { moduleRef } = app.get(Refs);
  const scopes = app.get(ServiceScopeFactory);
  /** µs per call of `op`, averaged by mitata (garbage collection included, as in real use). */
  const timed = (op: () => Promise<unknown>) => async () => (await measure(op, { ...MITATA })).avg / 1000;

  heading(
    '5. Scope per unit of work',
    'µs per unit of work (lower is better): resolve a request-scoped handler in a fresh context, then end it.',
  );
  const rows: (string | number)[][] = [];
  for (const [deps, handler] of HANDLERS) {
    const bare = `bare \`moduleRef.resolve(${handler.name}, ContextIdFactory.create())\``;
    const ours = '**nestjs-hosting** `createScope()` + `resolve()` + `dispose()`';
    const contenders: Contender[] = [
      { name: bare, run: timed(() => moduleRef.resolve(handler, ContextIdFactory.create())) },
      {
        name: ours,
        run: timed(async () => {
          const scope = scopes.createScope();
          await scope.resolve(handler);
          await scope.dispose();
        }),
      },
    ];
    const results = await sampleInterleaved(contenders, RUNS);
    const base = results.get(bare)!;
    const mine = results.get(ours)!;
    const ratio = mine.median / base.median;
    rows.push([String(deps), bare, ...spread(base), '1.00', '', '']);
    rows.push([String(deps), ours, ...spread(mine), fmt(ratio), `≤ ${TARGET}× bare`, verdict(ratio <= TARGET)]);
  }
  table(['Scoped deps', 'Contender', 'µs/unit median', 'min', 'max', '× bare', 'target', 'result'], rows);
  await app.close();
}

void main();
