import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';

import {
  BackgroundTaskQueue,
  BackgroundTaskQueueModule,
  Clock,
  FakeClock,
  HostApplicationLifetime,
  HostedServicesModule,
  isHostingError,
  TaskQueueOptions,
  UnprocessedWorkItem,
} from '../../lib';
import { ForcedExitHooks } from '../../lib/process/forced-exit';
import { drive, flush, orchestratorOf, processListeners } from './support/harness';
import { Random, seeded } from './support/random';

// The background task queue under fire, through Nest and on a FakeClock: many producers racing
// for a small queue (backpressure, drops or refusals), work items that are slow, that throw, that
// ignore their signal or that enqueue follow-ups, a random concurrency, shutdown policy and budget,
// and a random moment to stop; in some runs a second signal then forces the exit (the host is
// abandoned and the forced-exit hooks run, as the process lifetime does). For every run, counted by
// id: processed + handed back (forced included) = accepted, each accepted item exactly once,
// nothing refused ever runs, and nothing hangs.

const FILE = 'test/reliability/queue-under-fire.spec.ts';
const RUNS = 30;

type FullMode = NonNullable<TaskQueueOptions['fullMode']>;

interface Scenario {
  producers: number;
  perProducer: number;
  capacity: number;
  fullMode: FullMode;
  concurrency: number;
  shutdown: 'drain' | 'abandon';
  scopePerItem: boolean;
  shutdownTimeout: number;
  stopAt: number;
  /** A second signal this long after the stop began, or none. */
  forceAfter: number | undefined;
}

function drawScenario(random: Random): Scenario {
  return {
    producers: random.int(2, 12),
    perProducer: random.int(10, 80),
    capacity: random.pick([1, 2, 4, 16, 64]),
    fullMode: random.pick<FullMode>(['wait', 'wait', 'wait', 'dropOldest', 'dropNewest', 'reject']),
    concurrency: random.pick([1, 1, 2, 4, 8]),
    shutdown: random.pick(['drain', 'drain', 'abandon'] as const),
    scopePerItem: random.chance(0.3),
    shutdownTimeout: random.pick([0, 5, 50, 200, 1_000, 5_000]),
    stopAt: random.int(0, 300),
    forceAfter: random.chance(0.3) ? random.int(0, 250) : undefined,
  };
}

/** What one run observed, by item id. */
class Books {
  readonly accepted: string[] = [];
  readonly refused = new Map<string, unknown>();
  readonly started: string[] = [];
  /** Items that returned or threw, with whether they had been handed back by then. */
  readonly finished = new Map<string, { outcome: 'ok' | 'threw'; afterHandBack: boolean }>();
  readonly handedBack = new Map<string, { reason: string; started: boolean }>();
  readonly handBackOrder: string[] = [];
  running = 0;
  maxRunning = 0;

  handBack(items: UnprocessedWorkItem[], reason: string): void {
    for (const item of items) {
      if (this.handedBack.has(item.label)) throw new Error(`${item.label} handed back twice`);
      this.handedBack.set(item.label, { reason, started: item.started });
      this.handBackOrder.push(item.label);
    }
  }
}

async function runScenario(random: Random, s: Scenario): Promise<void> {
  const clock = new FakeClock();
  const books = new Books();
  const listenersBefore = processListeners();
  @Module({
    imports: [
      HostedServicesModule.forRoot({ logger: false, shutdownTimeout: s.shutdownTimeout }),
      BackgroundTaskQueueModule.register({
        capacity: s.capacity,
        fullMode: s.fullMode,
        concurrency: s.concurrency,
        shutdown: s.shutdown,
        scopePerItem: s.scopePerItem,
        onUnprocessed: (items, reason) => books.handBack(items, reason),
      }),
    ],
  })
  class App {}
  const app = await Test.createTestingModule({ imports: [App] })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const queue = app.get(BackgroundTaskQueue);
  const lifetime = app.get(HostApplicationLifetime);
  const at: { stopping?: number; stopped?: number } = {};
  lifetime.onStopping(() => (at.stopping = clock.now()));
  lifetime.onStopped(() => (at.stopped = clock.now()));
  await app.init();

  /** A work item: slow or not, failing or not, deaf to its signal or not, enqueuing a follow-up or not. */
  const work = (id: string, depth: number) => {
    const ms = random.int(0, 30);
    const fails = random.chance(0.15);
    const syncFail = fails && random.chance(0.3);
    const deaf = random.chance(0.05);
    const followUp = depth === 0 && random.chance(0.1);
    return async (signal: AbortSignal): Promise<void> => {
      books.started.push(id);
      books.running++;
      books.maxRunning = Math.max(books.maxRunning, books.running);
      let outcome: 'ok' | 'threw' = 'ok';
      try {
        if (syncFail) throw new Error(`${id} failed at once`);
        if (followUp) await enqueue(`${id}+f`, depth + 1, signal);
        await (deaf ? clock.delay(ms * 100) : clock.delay(ms, signal));
        if (fails) throw new Error(`${id} failed`);
      } catch (error) {
        outcome = 'threw';
        throw error;
      } finally {
        books.running--;
        books.finished.set(id, { outcome, afterHandBack: books.handedBack.has(id) });
      }
    };
  };

  const enqueue = async (id: string, depth: number, signal?: AbortSignal): Promise<boolean> => {
    try {
      if (random.chance(0.1)) {
        // tryEnqueue: never waits; false when full ('wait'/'reject') or closed.
        if (!queue.tryEnqueue(work(id, depth), { label: id })) {
          books.refused.set(id, 'tryEnqueue: false');
          return !queue.closed;
        }
      } else {
        await queue.enqueue(work(id, depth), { label: id, signal });
      }
      books.accepted.push(id);
      return true;
    } catch (error) {
      books.refused.set(id, error);
      return !isHostingError(error, 'HOSTING_QUEUE_CLOSED') && !signal?.aborted; // closed, or given up: stop producing
    }
  };

  const producer = async (p: number): Promise<void> => {
    // Some producers give up waiting for room after a while: those items were never accepted.
    const patience = random.chance(0.3) ? new AbortController() : undefined;
    if (patience) clock.setTimer(() => patience.abort(new Error(`producer ${p} gave up`)), random.int(0, 200));
    for (let n = 0; n < s.perProducer; n++) {
      if (!(await enqueue(`p${p}-${n}`, 0, patience?.signal))) return;
      if (random.chance(0.3)) await clock.delay(random.int(0, 5));
    }
  };
  const producing = Promise.all(Array.from({ length: s.producers }, (_, p) => producer(p)));

  // Stop at a random moment: mid-production, mid-drain, or once everything is done.
  await clock.advance(s.stopAt);
  let forcing: Promise<void> | undefined;
  if (s.forceAfter !== undefined) {
    clock.setTimer(() => {
      orchestratorOf(app).host?.abandon('SIGTERM');
      forcing = app.get(ForcedExitHooks).run('SIGTERM');
    }, s.forceAfter);
  }
  const closed = await drive(clock, app.close());
  expect(closed).toMatchObject({ ok: true });
  expect(at.stopped! - at.stopping!).toBeLessThanOrEqual(s.shutdownTimeout); // on time
  expect(await drive(clock, producing)).toMatchObject({ ok: true }); // no producer left hanging
  await clock.advance(10_000); // let the items that ignored their signal end: that must change nothing
  await flush();
  await forcing; // its onUnprocessed is synchronous: done at once

  // ── the accounting, by id ──
  const accepted = new Set(books.accepted);
  expect(accepted.size).toBe(books.accepted.length); // nobody accepted twice
  const processed = [...books.finished]
    .filter(([id, f]) => !f.afterHandBack && !books.handedBack.has(id))
    .map(([id]) => id);
  const handedBack = [...books.handedBack.keys()];
  expect(processed.filter((id) => books.handedBack.has(id))).toEqual([]);
  expect([...processed, ...handedBack].sort()).toEqual([...accepted].sort()); // processed + handed back = accepted
  for (const id of books.refused.keys()) {
    expect(accepted.has(id)).toBe(false);
    expect(books.started).not.toContain(id); // a refused item never runs
  }
  for (const [id, h] of books.handedBack) {
    // Handed back unstarted means it never ran, even later; started means it had begun.
    expect(books.started.includes(id)).toBe(h.started);
    if (h.reason === 'dropped') {
      expect(h.started).toBe(false);
      expect(['dropOldest', 'dropNewest']).toContain(s.fullMode);
    }
  }
  expect(new Set(books.started).size).toBe(books.started.length); // nothing ran twice
  expect(books.maxRunning).toBeLessThanOrEqual(s.concurrency);

  // Every refusal is a typed error (or the producer's own abort), never a hang.
  for (const [id, error] of books.refused) {
    const typed =
      error === 'tryEnqueue: false' ||
      isHostingError(error, 'HOSTING_QUEUE_CLOSED') ||
      (isHostingError(error, 'HOSTING_QUEUE_FULL') && s.fullMode === 'reject') ||
      (error instanceof Error && / gave up$/.test(error.message)) ||
      (error instanceof Error && error.name === 'AbortError' && id.endsWith('+f')); // a follow-up whose item was cut short
    expect({ id, typed, error: String(error) }).toEqual({ id, typed: true, error: String(error) });
  }

  // The queue's own books agree with the ids.
  const stats = queue.stats;
  const ok = processed.filter((id) => books.finished.get(id)!.outcome === 'ok').length;
  const forced = [...books.handedBack.values()].filter((h) => h.reason === 'forced').length;
  expect(stats).toEqual({
    accepted: accepted.size,
    succeeded: ok,
    failed: processed.length - ok,
    handedBack: handedBack.length,
    forced,
    pending: 0,
    running: 0,
  });
  if (s.forceAfter === undefined) expect(forced).toBe(0);

  // Nothing left behind.
  expect(clock.pendingTimers).toBe(0);
  expect(processListeners()).toEqual(listenersBefore);
  if (process.env.RELIABILITY_DEBUG)
    console.log(
      JSON.stringify({
        ...s,
        stats,
        refused: books.refused.size,
        started: books.started.length,
        lateFinish: [...books.finished.values()].filter((f) => f.afterHandBack).length,
        kinds: [
          ...new Set([...books.refused.values()].map((e) => (isHostingError(e) ? e.code : String(e).slice(0, 30)))),
        ],
      }),
    );
}

describe('the background task queue under fire', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  beforeAll(() => {
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it(`many producers, backpressure, failing and deaf items, random stop points (${RUNS} seeded runs): processed + handed back = accepted, by id`, async () => {
    await seeded(FILE, 'queue under fire', async (random) => {
      for (let run = 0; run < RUNS; run++) {
        const scenario = drawScenario(random);
        try {
          await runScenario(random.fork(`run ${run}`), scenario);
        } catch (error) {
          if (error instanceof Error)
            error.message = `run ${run}, scenario ${JSON.stringify(scenario)}:\n${error.message}`;
          throw error;
        }
      }
      expect(unhandled).toEqual([]);
    });
  }, 60_000);
});
