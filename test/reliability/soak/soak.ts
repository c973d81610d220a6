import 'reflect-metadata';
import {
  ConsoleLogger,
  Injectable,
  INestApplicationContext,
  Module,
  OnApplicationShutdown,
  Scope,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createHistogram, monitorEventLoopDelay, RecordableHistogram } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

import {
  BackgroundService,
  BackgroundTaskQueue,
  BackgroundTaskQueueModule,
  Channel,
  Clock,
  HostApplicationLifetime,
  HostedService,
  HostedServicesModule,
  isHostingError,
  OnUnitOfWorkEnd,
  ServiceScopeFactory,
  TimedBackgroundService,
  TimedRun,
  UnprocessedWorkItem,
} from '../../../lib';
import { createRandom } from '../support/random';

// The soak: a worker running timed, scoped and queued services (and a channel accumulator) at full
// speed for N minutes, with random faults. Every REPORT seconds it prints throughput, p99 latency
// per item, heap and event-loop delay; at the end (or on Ctrl+C) it stops gracefully and prints the
// final balance, exiting 1 if anything was lost.
//
//   npm run soak -- --minutes 10 [--report-seconds 10] [--fault-rate 0.02] [--seed 42] [--shutdown-ms 5000]
//   (or SOAK_MINUTES, SOAK_REPORT_SECONDS, SOAK_FAULT_RATE, SOAK_SEED, SOAK_SHUTDOWN_MS)

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string' },
    'report-seconds': { type: 'string' },
    'fault-rate': { type: 'string' },
    seed: { type: 'string' },
    'shutdown-ms': { type: 'string' },
  },
});
const MINUTES = Number(args.minutes ?? process.env.SOAK_MINUTES ?? 1);
const REPORT_MS = 1_000 * Number(args['report-seconds'] ?? process.env.SOAK_REPORT_SECONDS ?? 10);
const FAULT_RATE = Number(args['fault-rate'] ?? process.env.SOAK_FAULT_RATE ?? 0.02);
const SEED = Number(args.seed ?? process.env.SOAK_SEED ?? Date.now() % 1e9) >>> 0;
/** The shutdown budget: 0 hands back everything still queued, exercising onUnprocessed. */
const SHUTDOWN_MS = Number(args['shutdown-ms'] ?? process.env.SOAK_SHUTDOWN_MS ?? 5_000);
const PRODUCERS = 8;
const random = createRandom(SEED, 'soak');

/** Every counter the balance is made of. */
const books = {
  enqueueRefused: 0,
  itemsOk: 0,
  itemsThrew: 0,
  handedBack: 0,
  handedBackStarted: 0,
  unitsCreated: 0,
  unitsEnded: 0,
  timedRuns: 0,
  timedRunsThrew: 0,
  written: 0,
  consumed: 0,
  drained: 0,
  batches: 0,
  disposalFailures: 0,
};

/** Per-interval latency (µs, enqueue to completion) and the items completed in the interval. */
let latency: RecordableHistogram = createHistogram();
let completedInInterval = 0;

function out(line: string): void {
  process.stdout.write(`[soak] ${line}\n`);
}

@Injectable({ scope: Scope.REQUEST })
class UnitRepository implements OnUnitOfWorkEnd {
  constructor() {
    books.unitsCreated++;
  }
  onUnitOfWorkEnd(): void {
    books.unitsEnded++;
    if (random.chance(FAULT_RATE / 10)) throw new Error('a unit failed to end (injected)'); // logged by the scope's owner
  }
  touch(): void {}
}

/** Producers: enqueue work items as fast as backpressure lets them, each timed from enqueue. */
@HostedService()
class Producers extends BackgroundService {
  constructor(
    readonly queue: BackgroundTaskQueue,
    readonly clock: Clock,
  ) {
    super();
  }
  protected async execute(stopping: AbortSignal): Promise<void> {
    await Promise.all(Array.from({ length: PRODUCERS }, () => this.produce(stopping)));
  }
  private async produce(stopping: AbortSignal): Promise<void> {
    while (!stopping.aborted) {
      const enqueuedAt = process.hrtime.bigint();
      const fails = random.chance(FAULT_RATE);
      const slow = random.chance(0.005);
      const timer = random.chance(0.1);
      try {
        await this.queue.enqueue(
          async (signal, { scope }) => {
            try {
              (await scope!.resolve(UnitRepository)).touch();
              if (slow) await this.clock.delay(50, signal);
              else if (timer) await this.clock.delay(1, signal);
              else await new Promise<void>((resolve) => setImmediate(resolve)); // async work that yields to I/O
              if (fails) throw new Error('work item failed (injected)');
              books.itemsOk++;
            } catch (error) {
              books.itemsThrew++;
              throw error;
            } finally {
              latency.record(Math.max(1, Number((process.hrtime.bigint() - enqueuedAt) / 1_000n)));
              completedInInterval++;
            }
          },
          { signal: stopping },
        );
      } catch (error) {
        books.enqueueRefused++;
        if (isHostingError(error, 'HOSTING_QUEUE_CLOSED') || stopping.aborted) return;
        throw error;
      }
    }
  }
}

/** The accumulator: events written to a channel, persisted in batches through a scoped repository. */
const events = new Channel<number>({ capacity: 1_024 });

@HostedService()
class EventSource extends BackgroundService {
  protected async execute(stopping: AbortSignal): Promise<void> {
    for (let n = 0; !stopping.aborted; n++) {
      try {
        await events.writer.write(n, stopping);
        books.written++;
      } catch {
        return; // stopping: the write was not accepted
      }
      if (n % 64 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

@HostedService()
class Accumulator extends BackgroundService {
  constructor(readonly scopes: ServiceScopeFactory) {
    super();
  }
  protected async execute(stopping: AbortSignal): Promise<void> {
    const reader = events.reader;
    while (await reader.waitToRead(stopping).catch(() => false)) {
      const batch: number[] = [];
      let item: number | undefined;
      while (batch.length < 256 && (item = reader.tryRead()) !== undefined) batch.push(item);
      const scope = this.scopes.createScope();
      try {
        (await scope.resolve(UnitRepository)).touch();
        books.consumed += batch.length;
        books.batches++;
      } finally {
        // An injected disposal failure is the unit's problem, not the accumulator's: count it, go on.
        await scope.dispose().catch(() => books.disposalFailures++);
      }
    }
  }
  override async stop(signal: AbortSignal): Promise<void> {
    await super.stop(signal);
    // What the source wrote and the accumulator did not take is counted, not lost.
    events.writer.complete();
    books.drained += events.reader.drain().length;
  }
}

@HostedService()
class Ticker extends TimedBackgroundService {
  constructor(clock: Clock, scopes: ServiceScopeFactory) {
    super({ period: 100, scopePerRun: true, runTimeout: 50 }, { clock, scopes });
  }
  protected async doWork(run: TimedRun): Promise<void> {
    books.timedRuns++;
    (await run.scope!.resolve(UnitRepository)).touch();
    if (random.chance(FAULT_RATE * 5)) {
      books.timedRunsThrew++;
      throw new Error('timed run failed (injected)');
    }
  }
}

/** Prints the reports, and the final balance once every hosted service has stopped. */
@Injectable()
class Reporter implements OnApplicationShutdown {
  readonly #loop = monitorEventLoopDelay({ resolution: 10 });
  #timer: NodeJS.Timeout | undefined;
  #started = performance.now();
  #last = performance.now();

  constructor(readonly queue: BackgroundTaskQueue) {}

  start(): void {
    this.#loop.enable();
    this.#timer = setInterval(() => this.report(), REPORT_MS);
    this.#timer.unref();
  }

  report(): void {
    const now = performance.now();
    const seconds = (now - this.#last) / 1_000;
    const s = this.queue.stats;
    out(
      [
        `t=${((now - this.#started) / 1_000).toFixed(0)}s`,
        `throughput=${Math.round(completedInInterval / seconds)} items/s`,
        `p99=${(latency.percentile(99) / 1_000).toFixed(2)}ms`,
        `max=${(latency.max / 1_000).toFixed(1)}ms`,
        `heap=${(process.memoryUsage().heapUsed / 1e6).toFixed(1)}MB`,
        `loopDelay p99=${(this.#loop.percentile(99) / 1e6).toFixed(1)}ms max=${(this.#loop.max / 1e6).toFixed(1)}ms`,
        `queue accepted=${s.accepted} ok=${s.succeeded} failed=${s.failed} pending=${s.pending} running=${s.running}`,
        `timed=${books.timedRuns}`,
        `channel written=${books.written} consumed=${books.consumed}`,
      ].join(' | '),
    );
    latency = createHistogram();
    completedInInterval = 0;
    this.#loop.reset();
    this.#last = now;
  }

  onApplicationShutdown(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.report();
    const s = this.queue.stats;
    const checks: Array<[string, boolean]> = [
      [
        `queue: accepted ${s.accepted} = succeeded ${s.succeeded} + failed ${s.failed} + handed back ${s.handedBack}`,
        s.accepted === s.succeeded + s.failed + s.handedBack,
      ],
      [`queue: nothing pending (${s.pending}) or running (${s.running})`, s.pending === 0 && s.running === 0],
      [
        `items: ran ok ${books.itemsOk} + threw ${books.itemsThrew} >= processed ${s.succeeded + s.failed}`,
        books.itemsOk + books.itemsThrew >= s.succeeded + s.failed,
      ],
      [
        `queue: handed back ${s.handedBack} = received by onUnprocessed ${books.handedBack}`,
        s.handedBack === books.handedBack,
      ],
      [
        `channel: written ${books.written} = consumed ${books.consumed} + drained ${books.drained}`,
        books.written === books.consumed + books.drained,
      ],
      [`scopes: created ${books.unitsCreated} = ended ${books.unitsEnded}`, books.unitsCreated === books.unitsEnded],
    ];
    out(
      `final balance (seed ${SEED}, ${MINUTES} min, fault rate ${FAULT_RATE}, shutdown ${SHUTDOWN_MS} ms): handed back ${books.handedBack} (${books.handedBackStarted} had started), timed runs ${books.timedRuns} (${books.timedRunsThrew} failed), batches ${books.batches}, refused enqueues ${books.enqueueRefused}, injected disposal failures seen by the accumulator ${books.disposalFailures}`,
    );
    for (const [text, ok] of checks) out(`${ok ? 'ok  ' : 'LOST'} ${text}`);
    const balanced = checks.every(([, ok]) => ok);
    out(balanced ? 'BALANCED: nothing lost' : 'IMBALANCE: something was lost');
    if (!balanced) process.exitCode = 1;
  }
}

function handBack(items: UnprocessedWorkItem[]): void {
  books.handedBack += items.length;
  books.handedBackStarted += items.filter((i) => i.started).length;
}

@Module({
  imports: [
    HostedServicesModule.forRoot({
      shutdownTimeout: SHUTDOWN_MS,
      logger: new ConsoleLogger('Hosting', { logLevels: ['log', 'warn', 'fatal'] }),
    }),
    BackgroundTaskQueueModule.register({ capacity: 256, concurrency: 8, scopePerItem: true, onUnprocessed: handBack }),
  ],
  providers: [UnitRepository, Producers, EventSource, Accumulator, Ticker, Reporter],
})
class SoakModule {}

async function main(): Promise<void> {
  out(
    `seed ${SEED}, ${MINUTES} min, a report every ${REPORT_MS / 1_000} s, fault rate ${FAULT_RATE}; Ctrl+C stops early`,
  );
  // Per-item errors are injected by the thousand: only log, warn and fatal lines are printed.
  const app: INestApplicationContext = await NestFactory.createApplicationContext(SoakModule, {
    logger: ['log', 'warn', 'fatal'],
  });
  app.enableShutdownHooks();
  app.get(Reporter).start();
  const end = setTimeout(() => app.get(HostApplicationLifetime).stopApplication(0), MINUTES * 60_000);
  app.get(HostApplicationLifetime).onStopping(() => clearTimeout(end));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
