import { describe, expect, it } from '@jest/globals';
import { Injectable, Module, Provider, Scope } from '@nestjs/common';
import { Test } from '@nestjs/testing';

import {
  BackgroundTaskQueue,
  BackgroundTaskQueueModule,
  Channel,
  Clock,
  FakeClock,
  HostApplicationLifetime,
  HostedService,
  HostedServicesModule,
  InvalidHostedServiceError,
  InvalidOptionError,
  isHostingError,
  PeriodicTimer,
  SystemClock,
  TimedBackgroundService,
} from '../../lib';
import { closeAfterFailedInit, drive, processListeners, settle, Settled, sleep } from './support/harness';

// Bad input gets a clear, typed error at the right moment (where it is written: module
// definition, construction, compile or init; never at shutdown), and never a hang. Every case is
// timed: an error that takes longer than BOUND_MS to surface counts as a hang.

const BOUND_MS = 2_000;

/** Runs `act`, which must throw synchronously an InvalidOptionError naming `option`. */
function expectThrowsAtOnce(act: () => unknown, option: string): void {
  let error: unknown;
  try {
    act();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InvalidOptionError);
  expect(error).toBeInstanceOf(TypeError);
  expect(isHostingError(error, 'HOSTING_INVALID_OPTION')).toBe(true);
  expect((error as InvalidOptionError).option).toBe(option);
}

/** What `promise` settled to within `ms`; still pending then counts as a hang (a rejection). */
async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<Settled<T>>(
    (resolve) =>
      (timer = setTimeout(() => resolve({ ok: false, error: new Error(`still pending after ${ms}ms: a hang`) }), ms)),
  );
  try {
    return await Promise.race([settle(promise), hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** `act()` must return a promise (never throw) that rejects at once with an InvalidOptionError naming `option`. */
async function expectRejectsAtOnce(act: () => Promise<unknown>, option: string): Promise<void> {
  let promise: Promise<unknown> | undefined;
  expect(() => (promise = act())).not.toThrow();
  const result = await settleWithin(promise!, BOUND_MS);
  expect(result.ok).toBe(false);
  const error = !result.ok ? result.error : undefined;
  expect(error).toBeInstanceOf(InvalidOptionError);
  expect((error as InvalidOptionError).option).toBe(option);
}

describe('bad input: a typed error where it is written, never a hang', () => {
  describe('at module definition (register / forRoot / a decorator), before anything is created', () => {
    it.each([
      ['a negative capacity', { capacity: -1 }, 'capacity'],
      ['a zero capacity', { capacity: 0 }, 'capacity'],
      ['a non-integer capacity', { capacity: 2.5 }, 'capacity'],
      ['a NaN capacity', { capacity: NaN }, 'capacity'],
      ['an unknown full mode', { fullMode: 'block' }, 'fullMode'],
      ['a non-integer concurrency', { concurrency: 1.5 }, 'concurrency'],
      ['an unknown shutdown policy', { shutdown: 'later' }, 'shutdown'],
      ['a misspelt option (the default capacity would apply without a word)', { capasity: 5 }, 'capasity'],
    ])('BackgroundTaskQueueModule.register() with %s', (_name, options, option) => {
      expectThrowsAtOnce(() => BackgroundTaskQueueModule.register(options as never), option);
    });

    it.each([
      ['shutdownTimeout NaN', { shutdownTimeout: NaN }, 'shutdownTimeout'],
      ['shutdownTimeout -1', { shutdownTimeout: -1 }, 'shutdownTimeout'],
      [
        'shutdownTimeout above 2^31-1 ms (Node would fire it after 1 ms)',
        { shutdownTimeout: 2 ** 31 },
        'shutdownTimeout',
      ],
      ['shutdownTimeout -Infinity', { shutdownTimeout: -Infinity }, 'shutdownTimeout'],
      ['startupTimeout NaN', { startupTimeout: NaN }, 'startupTimeout'],
      ['startupTimeout -5', { startupTimeout: -5 }, 'startupTimeout'],
      ['a misspelt option', { shutdownTimout: 5 }, 'shutdownTimout'],
    ])('HostedServicesModule.forRoot() with %s', (_name, options, option) => {
      expectThrowsAtOnce(() => HostedServicesModule.forRoot(options as never), option);
    });

    it('HostedServicesModule.forRoot() accepts Infinity where it means "no limit"', () => {
      expect(() => HostedServicesModule.forRoot({ shutdownTimeout: Infinity, startupTimeout: Infinity })).not.toThrow();
    });

    it.each([NaN, Infinity, '1'])('@HostedService({ order: %p })', (order) => {
      expectThrowsAtOnce(() => HostedService({ order: order as number }), 'order');
    });

    it.each([
      ['a negative capacity', { capacity: -1 }, 'capacity'],
      ['a non-integer capacity', { capacity: 1.5 }, 'capacity'],
      ['an unknown full mode', { fullMode: 'block' }, 'fullMode'],
      ['a misspelt option', { capasity: 5 }, 'capasity'],
    ])('new Channel() with %s', (_name, options, option) => {
      expectThrowsAtOnce(() => new Channel(options as never), option);
    });

    it.each([NaN, Infinity, -1, 0])('new PeriodicTimer(%p)', (period) => {
      expectThrowsAtOnce(() => new PeriodicTimer(period, { clock: new FakeClock() }), 'period');
    });
  });

  describe('at module init (compile or app.init()), before any hosted service starts', () => {
    @HostedService()
    class Healthy {
      started = false;
      start(): void {
        this.started = true;
      }
      stop(): void {}
    }

    @HostedService()
    class NoStop {
      start(): void {}
    }

    @HostedService()
    class NoMethods {}

    @HostedService()
    @Injectable({ scope: Scope.REQUEST })
    class RequestScoped {
      start(): void {}
      stop(): void {}
    }

    @HostedService()
    class ScopedByProvider {
      start(): void {}
      stop(): void {}
    }

    @HostedService()
    class Timed extends TimedBackgroundService {
      constructor(clock: Clock) {
        super({ period: Infinity }, { clock });
      }
      protected async doWork(): Promise<void> {}
    }

    async function expectInitRejects(providers: Provider[], service: string): Promise<void> {
      const listeners = processListeners();
      const app = await Test.createTestingModule({
        imports: [HostedServicesModule.forRoot({ logger: false })],
        providers: [Healthy, ...providers],
      }).compile();
      const started = performance.now();
      const init = await settle(app.init());
      expect(performance.now() - started).toBeLessThan(BOUND_MS);
      expect(init.ok).toBe(false);
      const error = !init.ok ? init.error : undefined;
      expect(error).toBeInstanceOf(InvalidHostedServiceError);
      expect(isHostingError(error, 'HOSTING_INVALID_SERVICE')).toBe(true);
      expect((error as InvalidHostedServiceError).service).toBe(service);
      expect(app.get(Healthy).started).toBe(false); // nothing started
      expect(processListeners()).toEqual(listeners); // nothing armed
      await closeAfterFailedInit(app, error); // and closing raises nothing new, and does not hang
    }

    it('@HostedService() on a class without stop(): app.init() rejects, naming it', () =>
      expectInitRejects([NoStop], 'NoStop'));
    it('@HostedService() on a class with neither start() nor stop(): app.init() rejects', () =>
      expectInitRejects([NoMethods], 'NoMethods'));
    it('a request-scoped hosted service: app.init() rejects (a hosted service lives as long as the app)', () =>
      expectInitRejects([RequestScoped], 'RequestScoped'));
    it('a hosted service provided with { scope: REQUEST }: app.init() rejects', () =>
      expectInitRejects(
        [{ provide: ScopedByProvider, useClass: ScopedByProvider, scope: Scope.REQUEST }],
        'ScopedByProvider',
      ));

    it('forRootAsync whose factory resolves shutdownTimeout NaN: compile() rejects, naming it', async () => {
      const compiled = await settle(
        Test.createTestingModule({
          imports: [HostedServicesModule.forRootAsync({ useFactory: async () => ({ shutdownTimeout: NaN }) })],
        }).compile(),
      );
      expect(compiled.ok).toBe(false);
      expect(!compiled.ok && compiled.error).toBeInstanceOf(InvalidOptionError);
      expect(!compiled.ok && (compiled.error as InvalidOptionError).option).toBe('shutdownTimeout');
    });

    it('a TimedBackgroundService with period Infinity: compile() rejects, naming it (Node would fire it every 1 ms)', async () => {
      const compiled = await settle(
        Test.createTestingModule({
          imports: [HostedServicesModule.forRoot({ logger: false })],
          providers: [Timed],
        }).compile(),
      );
      expect(compiled.ok).toBe(false);
      expect(!compiled.ok && (compiled.error as InvalidOptionError).option).toBe('period');
    });
  });

  describe('at the call, on a running application', () => {
    async function runningQueue(capacity: number) {
      const clock = new FakeClock();
      @Module({
        imports: [
          HostedServicesModule.forRoot({ logger: false, shutdownTimeout: 1_000 }),
          BackgroundTaskQueueModule.register({ capacity }),
        ],
      })
      class App {}
      const app = await Test.createTestingModule({ imports: [App] })
        .overrideProvider(Clock)
        .useValue(clock)
        .compile();
      await app.init();
      return { app, clock, queue: app.get(BackgroundTaskQueue), lifetime: app.get(HostApplicationLifetime) };
    }

    it.each([42, null, undefined, 'work', {}])(
      'queue.enqueue(%p) rejects with InvalidOptionError naming `work`; tryEnqueue throws it',
      async (work) => {
        const { app, queue } = await runningQueue(4);
        await expectRejectsAtOnce(() => queue.enqueue(work as never), 'work');
        expectThrowsAtOnce(() => queue.tryEnqueue(work as never), 'work');
        expect(queue.stats.accepted).toBe(0);
        await app.close();
      },
    );

    it.each([{}, 'signal', { aborted: false }])(
      'queue.enqueue(work, { signal: %p }) on a full queue rejects, naming `signal`; the queue keeps working',
      async (signal) => {
        const { app, clock, queue } = await runningQueue(1);
        const ran: string[] = [];
        await queue.enqueue(() => clock.delay(100).then(() => void ran.push('a')), { label: 'a' }); // runs
        await queue.enqueue(() => void ran.push('b'), { label: 'b' }); // fills the queue
        await expectRejectsAtOnce(
          () => queue.enqueue(() => void ran.push('bad'), { label: 'bad', signal: signal as never }),
          'signal',
        );
        const next = queue.enqueue(() => void ran.push('c'), { label: 'c' }); // waits for room
        expect(await drive(clock, next)).toMatchObject({ ok: true });
        await clock.advance(10);
        expect(ran).toEqual(['a', 'b', 'c']);
        const closed = await drive(clock, app.close());
        expect(closed).toMatchObject({ ok: true });
        expect(queue.stats).toMatchObject({
          accepted: 3,
          succeeded: 3,
          failed: 0,
          handedBack: 0,
          pending: 0,
          running: 0,
        });
      },
    );

    it.each([NaN, Infinity, -1, 1.5, 256])(
      'lifetime.stopApplication(%p) throws InvalidOptionError naming `exitCode`, and stops nothing',
      async (code) => {
        const { app, lifetime } = await runningQueue(1);
        expectThrowsAtOnce(() => lifetime.stopApplication(code), 'exitCode');
        await sleep(5);
        expect(lifetime.hasFired('stopping')).toBe(false);
        await app.close();
      },
    );

    it('channel.writer.write(item, notASignal) on a full channel never leaves the item in the channel, which keeps working', async () => {
      const channel = new Channel<string>({ capacity: 1 });
      await channel.writer.write('a');
      await settle(Promise.resolve().then(() => channel.writer.write('bad', {} as AbortSignal)));
      expect(await channel.reader.read()).toBe('a');
      await channel.writer.write('b');
      expect(channel.reader.drain()).toEqual(['b']); // 'bad' never got in
    });

    // The promise-returning methods reject (never throw) for a signal that is not an AbortSignal.
    it('channel.writer.write(item, notASignal) on a full channel rejects with InvalidOptionError naming `signal`', async () => {
      const channel = new Channel<string>({ capacity: 1 });
      await channel.writer.write('a');
      await expectRejectsAtOnce(() => channel.writer.write('bad', {} as AbortSignal), 'signal');
    });
  });

  describe('the clock and timers: what a timeout of NaN or Infinity means, and what is not a signal', () => {
    // Node turns NaN and anything above 2^31-1 (Infinity included) into a 1 ms timer, while a fake
    // clock would never fire: both clocks refuse NaN, and treat Infinity as "until aborted".
    it('clock.delay(NaN) is refused with InvalidOptionError naming `ms` (SystemClock and FakeClock alike)', async () => {
      for (const clock of [new SystemClock(), new FakeClock()]) await expectRejectsAtOnce(() => clock.delay(NaN), 'ms');
    });

    it.each([{}, 'signal', { aborted: false }])(
      'clock.delay(ms, %p) is refused with InvalidOptionError naming `signal`, and nothing fires later (SystemClock and FakeClock alike)',
      async (signal) => {
        const fake = new FakeClock();
        for (const clock of [new SystemClock(), fake])
          await expectRejectsAtOnce(() => clock.delay(20, signal as never), 'signal');
        expect(fake.pendingTimers).toBe(0);
        await fake.advance(100);
        // A timer left behind would throw, uncaught, when it fired; jest fails the test if one does.
        await sleep(60);
      },
    );

    it.each([NaN, Infinity, '0'])(
      'new FakeClock(%p) throws InvalidOptionError naming `start` (a NaN clock reads NaN forever)',
      (start) => {
        expectThrowsAtOnce(() => new FakeClock(start as number), 'start');
      },
    );

    it.each([NaN, -1])(
      'fakeClock.advance(%p) is refused with InvalidOptionError naming `ms`; time does not move',
      async (ms) => {
        const clock = new FakeClock();
        await expectRejectsAtOnce(() => clock.advance(ms), 'ms');
        expect(clock.now()).toBe(0);
      },
    );

    it('fakeClock.advance(Infinity) with a PeriodicTimer is refused at once (it could never return), and the timer keeps ticking', async () => {
      const clock = new FakeClock();
      const timer = new PeriodicTimer(10, { clock });
      const tick = timer.waitForNextTick();
      await expectRejectsAtOnce(() => clock.advance(Infinity), 'ms');
      await clock.advance(10);
      expect(await settleWithin(tick, BOUND_MS)).toEqual({ ok: true, value: true });
      timer.stop();
    });

    it.each([{}, 'signal', null])(
      'periodicTimer.waitForNextTick(%p) rejects with InvalidOptionError naming `signal`; the timer stays usable',
      async (signal) => {
        const clock = new FakeClock();
        const timer = new PeriodicTimer(10, { clock });
        await expectRejectsAtOnce(() => timer.waitForNextTick(signal as never), 'signal');
        const tick = timer.waitForNextTick();
        await clock.advance(10);
        expect(await settleWithin(tick, BOUND_MS)).toEqual({ ok: true, value: true });
        timer.stop();
        expect(clock.pendingTimers).toBe(0);
      },
    );

    it('SystemClock.delay(Infinity) does not resolve by itself: it waits until aborted', async () => {
      const controller = new AbortController();
      const delay = settle(new SystemClock().delay(Infinity, controller.signal));
      const first = await Promise.race([delay.then(() => 'resolved'), sleep(50).then(() => 'still waiting')]);
      controller.abort();
      await delay;
      expect(first).toBe('still waiting');
    });
  });
});
