import { beforeEach, describe, expect, it } from '@jest/globals';
import { Global, Injectable, Module, OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import { TestingModule } from '@nestjs/testing';

import {
  BackgroundService,
  Clock,
  FakeClock,
  HostApplicationLifetime,
  HostedService,
  HostedServicesModule,
} from '../../lib';
import { deferred, flush } from '../helpers/deferred';
import {
  expectCloseAfterFailedInit,
  journal,
  ownHookProperties,
  Recorded,
  settled,
  signalListeners,
  track,
  useApps,
} from './support/e2e';

@Injectable()
class Pool implements OnModuleDestroy, OnApplicationShutdown {
  onModuleDestroy(): void {
    journal.note('Pool', 'onModuleDestroy');
  }
  onApplicationShutdown(): void {
    journal.note('Pool', 'onApplicationShutdown');
  }
}
@Module({ providers: [Pool], exports: [Pool] })
class PoolModule {}

@Injectable()
class Metrics implements OnModuleDestroy {
  onModuleDestroy(): void {
    journal.note('Metrics', 'onModuleDestroy');
  }
}
@Global()
@Module({ providers: [Metrics], exports: [Metrics] })
class MetricsModule {}

/** Ticks on the injected clock until stopped: a timer is pending whenever it waits. */
@HostedService()
class Ticker extends BackgroundService {
  ticks = 0;
  constructor(
    readonly clock: Clock,
    readonly pool: Pool,
    readonly metrics: Metrics,
  ) {
    super();
  }
  protected async execute(stopping: AbortSignal): Promise<void> {
    while (!stopping.aborted) {
      await this.clock.delay(1_000, stopping).catch(() => undefined);
      this.ticks++;
    }
  }
}

@HostedService()
class Steady extends Recorded {}

@HostedService()
class Last extends Recorded {}

type Scenario = (app: TestingModule, clock: FakeClock, close: () => Promise<void>) => Promise<void>;

const SCENARIOS: Array<[string, Scenario]> = [
  [
    'a clean start and close',
    async (app, clock, close) => {
      await app.init();
      await clock.advance(3_500);
      expect(app.get(Ticker).ticks).toBe(3);
      await close();
    },
  ],
  [
    'a failed start (init rejects; close afterwards)',
    async (app, _clock, close) => {
      const error = new Error('Last cannot start');
      journal.when('Last', 'start', () => Promise.reject(error));
      expect(await settled(app.init())).toEqual({ ok: false, error });
      await expectCloseAfterFailedInit(close(), error);
    },
  ],
  [
    'a startup timeout',
    async (app, clock, close) => {
      const entered = deferred();
      journal.when('Last', 'start', () => {
        entered.resolve();
        return new Promise<void>(() => undefined);
      });
      const init = settled(app.init());
      await entered.promise;
      await clock.advance(10_000);
      const result = await init;
      expect(result.ok).toBe(false);
      await expectCloseAfterFailedInit(close(), !result.ok && result.error);
    },
  ],
  [
    'a shutdown deadline',
    async (app, clock, close) => {
      await app.init();
      const entered = deferred();
      journal.when('Steady', 'stop', () => {
        entered.resolve();
        return new Promise<void>(() => undefined);
      });
      const closing = close();
      await entered.promise;
      await clock.advance(5_000);
      await closing;
    },
  ],
  [
    'stopApplication() and a later close',
    async (app, _clock, close) => {
      await app.init();
      const stopped = deferred();
      const lifetime = app.get(HostApplicationLifetime);
      lifetime.onStopped(() => stopped.resolve());
      lifetime.stopApplication();
      await stopped.promise;
      await close();
    },
  ],
];

describe('nothing is left behind after close', () => {
  const apps = useApps();
  beforeEach(() => journal.reset());

  it.each(SCENARIOS)('after %s: no timer, no signal listener, no hook wrapper', async (_name, scenario) => {
    const clock = new FakeClock();
    const baseline = signalListeners();
    const app = await apps.compile(
      {
        imports: [
          HostedServicesModule.forRoot({ logger: false, shutdownTimeout: 5_000, startupTimeout: 10_000 }),
          PoolModule,
          MetricsModule,
        ],
        providers: [Steady, Ticker, Last],
      },
      { clock },
    );
    // While it runs, all three are in use (so the checks below are not vacuous).
    const during: { listeners?: ReturnType<typeof signalListeners>; hooks?: string[]; timers?: number } = {};
    journal.when('Last', 'starting', () => {
      during.listeners = signalListeners();
      during.hooks = ownHookProperties(app);
      during.timers = clock.pendingTimers;
    });

    await scenario(app, clock, () => apps.close(app));
    await flush();

    expect(during.listeners).toEqual({ SIGINT: baseline.SIGINT + 1, SIGTERM: baseline.SIGTERM + 1 });
    expect(during.hooks).toEqual(
      expect.arrayContaining([
        'RootTestModule.onApplicationBootstrap',
        'Pool.onModuleDestroy',
        'Pool.onApplicationShutdown',
        'Metrics.onModuleDestroy',
      ]),
    );
    expect(during.timers).toBeGreaterThan(0); // the startup timeout
    expect(clock.pendingTimers).toBe(0);
    expect(signalListeners()).toEqual(baseline);
    expect(ownHookProperties(app)).toEqual([]);
    expect(process.exitCode).toBeUndefined();
  });

  it('after a validation failure: nothing was armed in the first place', async () => {
    @HostedService()
    class Broken {
      start(): void {}
    }
    const clock = new FakeClock();
    const baseline = signalListeners();
    const app = await apps.compile(
      { imports: [HostedServicesModule.forRoot({ logger: false }), PoolModule], providers: [Steady, Broken] },
      { clock },
    );
    const init = settled(app.init());
    const state = track(init);
    const result = await init;
    expect(state.done).toBe(true);
    expect(result.ok).toBe(false);
    expect(signalListeners()).toEqual(baseline);
    expect(ownHookProperties(app)).toEqual([]);
    await expectCloseAfterFailedInit(apps.close(app), !result.ok && result.error);
    expect(clock.pendingTimers).toBe(0);
    expect(journal.calls.filter((c) => !c.startsWith('Pool:'))).toEqual([]);
  });
});
