import { beforeEach, describe, expect, it } from '@jest/globals';
import { Global, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { LazyModuleLoader, ModulesContainer } from '@nestjs/core';

import { HostedService, HostedServicesModule, isHostingError, runHost } from '../../lib';
import { CaptureLogger } from '../helpers/capture-logger';
import { Deferred, deferred, flush } from '../helpers/deferred';
import { journal, Recorded, settled, signalListeners, track, useApps } from './support/e2e';

// The application shapes that broke the library's promises in real apps: a frozen provider, a
// @Global() root module, the host module imported twice, a hosted service in a lazily loaded
// module. Each is either handled or refused at startup with a typed error naming it.

const apps = useApps();
beforeEach(() => journal.reset());

@HostedService()
class Worker extends Recorded {}

describe('a frozen provider with a teardown hook', () => {
  const frozen = {
    provide: 'FROZEN',
    useValue: Object.freeze({ onModuleDestroy: () => journal.note('Frozen', 'destroy') }),
  };

  it('starts (warning that its hook cannot wait), stops, and leaves no listener behind', async () => {
    const baseline = signalListeners();
    const logger = new CaptureLogger();
    const app = await apps.compile({
      imports: [HostedServicesModule.forRoot({ logger })],
      providers: [Worker, frozen],
    });
    await app.init();
    expect(journal.of('start')).toEqual(['Worker']);
    expect(logger.messages('warn')).toEqual([
      expect.stringMatching(/^Cannot make the teardown hooks of FROZEN wait for the hosted services to stop/),
    ]);
    await apps.close(app);
    expect(journal.of('stop')).toEqual(['Worker']);
    expect(journal.calls).toContain('Frozen:destroy');
    expect(signalListeners()).toEqual(baseline);
  });

  it('a failed start with a frozen provider rejects with its own error and holds nothing (no listener, no keep-alive)', async () => {
    @HostedService()
    class Failing extends Recorded {}
    journal.when('Failing', 'start', () => {
      throw new Error('no database');
    });
    const baseline = signalListeners();
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const app = await apps.compile({
      imports: [HostedServicesModule.forRoot({ logger: false })],
      providers: [Failing, frozen],
    });
    const result = await settled(app.init());
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ message: 'no database' }) });
    expect(signalListeners()).toEqual(baseline);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(timersBefore);
  });
});

describe('a @Global() root module that imports feature modules', () => {
  let gate: Deferred;

  @Injectable()
  class SlowBoot implements OnApplicationBootstrap {
    async onApplicationBootstrap(): Promise<void> {
      journal.note('SlowBoot', 'bootstrap');
      await gate.promise;
      journal.note('SlowBoot', 'bootstrapped');
    }
  }

  @Module({ providers: [SlowBoot], exports: [SlowBoot] })
  class FeatureModule {}

  @Global()
  @Module({ imports: [HostedServicesModule.forRoot({ logger: false }), FeatureModule], providers: [Worker] })
  class GlobalRootModule {}

  it("starts the hosted services only after every imported provider's onApplicationBootstrap finished", async () => {
    gate = deferred();
    const app = await apps.compile({ imports: [GlobalRootModule] });
    const initializing = app.init();
    const init = track(initializing);
    await flush();
    expect(journal.calls).toEqual(['SlowBoot:bootstrap']);
    gate.resolve();
    await initializing;
    expect(init.done).toBe(true);
    expect(journal.calls).toEqual([
      'SlowBoot:bootstrap',
      'SlowBoot:bootstrapped',
      'Worker:starting',
      'Worker:start',
      'Worker:started',
    ]);
  });
});

describe('HostedServicesModule imported twice', () => {
  it('with different options: init() rejects with a MisconfigurationError naming the importers, and nothing starts', async () => {
    @Module({ imports: [HostedServicesModule.forRoot({ shutdownTimeout: 5_000, logger: false })] })
    class FeatureModule {}
    const app = await apps.compile({
      imports: [HostedServicesModule.forRoot({ logger: false }), FeatureModule],
      providers: [Worker],
    });
    const result = await settled(app.init());
    expect(result.ok).toBe(false);
    const error = (result as { error: unknown }).error;
    expect(isHostingError(error, 'HOSTING_MISCONFIGURED')).toBe(true);
    expect((error as Error).message).toMatch(
      /^HostedServicesModule is imported 2 times \(by RootTestModule, FeatureModule\)/,
    );
    expect(journal.of('start')).toEqual([]);
  });

  it('with the same options too (Nest keeps two modules): refused the same way, never two hosts', async () => {
    @Module({ imports: [HostedServicesModule.forRoot({ logger: false })] })
    class FeatureModule {}
    const app = await apps.compile({
      imports: [HostedServicesModule.forRoot({ logger: false }), FeatureModule],
      providers: [Worker],
    });
    const result = await settled(app.init());
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'HOSTING_MISCONFIGURED' }) });
    expect((result as { error: Error }).error.message).toMatch(/imported 2 times \(by RootTestModule, FeatureModule\)/);
    expect(journal.of('start')).toEqual([]);
  });
});

describe('a @HostedService() in a module loaded with LazyModuleLoader', () => {
  @HostedService()
  class LazyWorker extends Recorded {}

  @Module({ providers: [LazyWorker] })
  class LazyWorkerModule {}

  @Injectable()
  class Plain {}

  @Module({ providers: [Plain] })
  class LazyPlainModule {}

  it('is refused when loaded: the load rejects with a MisconfigurationError naming it and its module', async () => {
    const app = await apps.compile({ imports: [HostedServicesModule.forRoot({ logger: false })], providers: [Worker] });
    await app.init();
    const result = await settled(app.get(LazyModuleLoader).load(() => LazyWorkerModule));
    expect(result.ok).toBe(false);
    const error = (result as { error: unknown }).error;
    expect(isHostingError(error, 'HOSTING_MISCONFIGURED')).toBe(true);
    expect((error as Error).message).toMatch(
      /^LazyWorker is a @HostedService\(\) in LazyWorkerModule, loaded with LazyModuleLoader/,
    );
    expect(journal.of('start')).toEqual(['Worker']);
  });

  it('a lazily loaded module without hosted services loads as usual, and close() leaves Nest’s container as it was', async () => {
    const app = await apps.compile({ imports: [HostedServicesModule.forRoot({ logger: false })], providers: [Worker] });
    await app.init();
    const moduleRef = await app.get(LazyModuleLoader).load(() => LazyPlainModule);
    expect(moduleRef.get(Plain)).toBeInstanceOf(Plain);
    const container = app.get(ModulesContainer);
    await apps.close(app);
    expect(Object.prototype.hasOwnProperty.call(container, 'set')).toBe(false);
  });
});

describe('runHost(app) on an application without HostedServicesModule', () => {
  it('rejects with a MisconfigurationError that says what to import, before touching any signal', async () => {
    @Injectable()
    class Plain {}
    const baseline = signalListeners();
    const app = await apps.compile({ providers: [Plain] });
    const result = await settled(runHost(app));
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'HOSTING_MISCONFIGURED' }) });
    expect((result as { error: Error }).error.message).toMatch(/add HostedServicesModule\.forRoot\(\)/);
    expect(signalListeners()).toEqual(baseline);
  });
});
