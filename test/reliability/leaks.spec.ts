import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Injectable, Module, Scope } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createHook } from 'node:async_hooks';
import { getEventListeners } from 'node:events';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import {
  BackgroundService,
  BackgroundTaskQueue,
  BackgroundTaskQueueModule,
  Channel,
  Clock,
  FakeClock,
  HostApplicationLifetime,
  HostedService,
  HostedServicesModule,
  OnUnitOfWorkEnd,
  ServiceScopeFactory,
  SystemClock,
  TimedBackgroundService,
  TimedRun,
} from '../../lib';
import { closeAfterFailedInit, drive, flush, processListeners, settle, sleep } from './support/harness';

// 100 create/close cycles of a full application (a BackgroundService, a timed service with a
// scope per run, a queue with a scope per item, lifetime listeners, a channel), in one process,
// through every way an application ends: clean, failed start, shutdown deadline,
// stopApplication(), a crashed worker. After each close, none of the timers, intervals, abort
// listeners or process listeners the library added may remain; after all of them, no application
// may still be reachable, and the heap must be flat.

const CYCLES = 100;
const WARM_UP = 10;
type Ending = 'clean' | 'failedStart' | 'deadline' | 'stopApplication' | 'fault';
const ENDINGS: readonly Ending[] = ['clean', 'failedStart', 'deadline', 'stopApplication', 'fault'];

/** A real garbage collection: `--expose-gc`'s gc, or one obtained at run time. */
function findGc(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}
const gc = findGc();

/** Heap in use after a full collection (or, without gc, after an allocation churn that provokes one). */
async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    if (gc) gc();
    else for (let j = 0; j < 200; j++) void new Array(10_000).fill(j);
    await flush(2);
  }
  return process.memoryUsage().heapUsed;
}

/** Real timers and immediates alive in the process (the library's keep-alive interval would show here). */
function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'Immediate').length;
}

const LIB = join(__dirname, '..', '..', 'lib');

/**
 * The real timers and intervals (`Timeout`s) the library creates while it is on (created from a
 * frame in lib/), and not yet cleared or fired, with where each was created: exact, where
 * `getActiveResourcesInfo()` also counts the test runner's own timers, which come and go.
 * (Immediates cannot outlive a turn, so they cannot leak.)
 */
class TimerTracker {
  /** Live timers by async id: where the library created it, or `undefined` for someone else's. */
  readonly live = new Map<number, string | undefined>();
  readonly #hook = createHook({
    init: (id, type) => {
      if (type !== 'Timeout') return;
      const frame = (new Error().stack ?? '').split('\n').find((line) => line.includes(LIB));
      this.live.set(id, frame?.trim());
    },
    destroy: (id) => void this.live.delete(id),
  });
  start(): void {
    this.live.clear();
    this.#hook.enable();
  }
  /** Stops tracking: the library's timers still alive (where created), and how many others are. */
  stop(): { library: string[]; others: number } {
    this.#hook.disable();
    const origins = [...this.live.values()];
    return {
      library: origins.filter((o): o is string => o !== undefined),
      others: origins.filter((o) => o === undefined).length,
    };
  }
}

/** Everything one cycle touches that lives outside the application (so a leak would show). */
const shared = { userController: new AbortController(), ending: 'clean' as Ending, runs: 0, units: 0, unitsEnded: 0 };

@Injectable({ scope: Scope.REQUEST })
class Unit implements OnUnitOfWorkEnd {
  constructor() {
    shared.units++;
  }
  onUnitOfWorkEnd(): void {
    shared.unitsEnded++;
  }
}

@HostedService()
class Worker extends BackgroundService {
  constructor(
    private readonly clock: Clock,
    private readonly lifetime: HostApplicationLifetime,
  ) {
    super();
  }
  protected async execute(stopping: AbortSignal): Promise<void> {
    if (shared.ending === 'stopApplication') this.lifetime.stopApplication(0);
    if (shared.ending === 'fault') {
      await this.clock.delay(1, stopping);
      throw new Error('the worker crashed');
    }
    while (!stopping.aborted) await this.clock.delay(3, stopping).catch(() => undefined);
  }
}

@HostedService()
class Ticker extends TimedBackgroundService {
  constructor(clock: Clock, scopes: ServiceScopeFactory) {
    super({ period: 2, scopePerRun: true }, { clock, scopes });
  }
  protected async doWork(run: TimedRun): Promise<void> {
    shared.runs++;
    await run.scope!.resolve(Unit);
  }
}
@HostedService()
class Edge {
  start(): void {
    if (shared.ending === 'failedStart') throw new Error('Edge cannot start');
  }
  stop(): Promise<void> | void {
    // Deaf to its signal and never done: only the deadline ends the wait.
    if (shared.ending === 'deadline') return new Promise<void>(() => undefined);
  }
}

describe('no leaks across create/close cycles', () => {
  let exitCodeBefore: typeof process.exitCode;
  beforeEach(() => {
    exitCodeBefore = process.exitCode;
  });
  afterEach(() => void (process.exitCode = exitCodeBefore));

  it(`${CYCLES} cycles through every ending: no timer, interval, abort listener or process listener left; no app retained; a flat heap`, async () => {
    const listeners = processListeners();
    const tracker = new TimerTracker();
    const apps: Array<WeakRef<object>> = [];
    let heapAfterWarmUp = 0;

    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const fake = cycle % 2 === 0;
      const clock = fake ? new FakeClock() : new SystemClock();
      shared.ending = ENDINGS[Math.floor(cycle / 2) % ENDINGS.length]!;
      const userSignal = shared.userController.signal; // long-lived, never aborted: must collect no listener
      const timersBefore = activeTimers();
      tracker.start();

      @Module({
        imports: [
          HostedServicesModule.forRoot({ logger: false, shutdownTimeout: fake ? 1_000 : 30, startupTimeout: 5_000 }),
          BackgroundTaskQueueModule.register({ capacity: 4, concurrency: 2, scopePerItem: true }),
        ],
        providers: [Unit, Worker, Ticker, Edge],
      })
      class App {}
      const app = await Test.createTestingModule({ imports: [App] })
        .overrideProvider(Clock)
        .useValue(clock)
        .compile();
      apps.push(new WeakRef(app));
      const lifetime = app.get(HostApplicationLifetime);
      const stopped = new Promise<void>((resolve) => lifetime.onStopped(resolve));
      lifetime.onStarted(() => undefined);
      /** Awaits `promise`, moving the fake clock meanwhile; a rejection fails the cycle. */
      const wait = async (promise: Promise<unknown>): Promise<void> => {
        const result = fake ? await drive(clock as FakeClock, promise) : await settle(promise);
        if (!result.ok) throw result.error;
      };

      const init = fake ? await drive(clock as FakeClock, app.init()) : await settle(app.init());
      if (!init.ok) {
        await wait(closeAfterFailedInit(app, init.error));
      } else {
        // Work: items (some waiting for room, with the user's signal), a channel read, ticks.
        const queue = app.get(BackgroundTaskQueue);
        const items = Array.from({ length: 12 }, (_, i) =>
          queue.enqueue(
            async (signal, { scope }) => {
              await scope!.resolve(Unit);
              await clock.delay(1, signal);
            },
            { label: `item ${i}`, signal: userSignal },
          ),
        );
        const channel = new Channel<number>({ capacity: 1 });
        const read = channel.reader.read(userSignal);
        await channel.writer.write(cycle);
        expect(await read).toBe(cycle);
        await wait(Promise.allSettled(items));
        if (fake) await (clock as FakeClock).advance(20);
        else await sleep(5);
        if (shared.ending === 'stopApplication' || shared.ending === 'fault') await wait(stopped);
        await wait(app.close());
      }
      await flush();

      // Nothing the library added is left behind.
      if (fake) expect((clock as FakeClock).pendingTimers).toBe(0);
      expect({ cycle, ending: shared.ending, listeners: processListeners() }).toEqual({
        cycle,
        ending: shared.ending,
        listeners,
      });
      expect(getEventListeners(userSignal, 'abort')).toHaveLength(0);
      await flush(); // let async_hooks report the timers cleared during close
      const left = tracker.stop();
      expect({ cycle, ending: shared.ending, libraryTimersLeft: left.library }).toEqual({
        cycle,
        ending: shared.ending,
        libraryTimersLeft: [],
      });
      // The process agrees: any timer more than before the cycle is someone else's (the test runner's).
      expect(activeTimers()).toBeLessThanOrEqual(timersBefore + left.others);
      process.exitCode = exitCodeBefore; // a crashed worker sets 1, on purpose
      if (cycle === WARM_UP - 1) heapAfterWarmUp = await settledHeap();
    }

    // Every scope created for a run or an item was disposed.
    expect(shared.unitsEnded).toBe(shared.units);
    expect(shared.runs).toBeGreaterThan(CYCLES);

    // No application is still reachable, and the heap is flat.
    const heapAtEnd = await settledHeap();
    const retained = apps.filter((ref) => ref.deref() !== undefined).length;
    const growth = heapAtEnd - heapAfterWarmUp;
    console.log(
      `[reliability] heap after ${WARM_UP} warm-up cycles ${(heapAfterWarmUp / 1e6).toFixed(2)} MB, after ${CYCLES} cycles ${(heapAtEnd / 1e6).toFixed(2)} MB: ` +
        `growth ${(growth / 1e6).toFixed(2)} MB over ${CYCLES - WARM_UP} cycles (${(growth / (CYCLES - WARM_UP) / 1e3).toFixed(1)} kB/cycle); ` +
        `applications still reachable: ${retained} of ${CYCLES}; gc: ${gc ? 'yes' : 'no (allocation churn)'}`,
    );
    if (gc) expect(retained).toBeLessThanOrEqual(2); // the last one or two may still be referenced from the stack
    expect(growth).toBeLessThan(8e6);
  }, 60_000);
});
