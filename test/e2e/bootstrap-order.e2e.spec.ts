import { beforeEach, describe, expect, it } from '@jest/globals';
import { DynamicModule, Global, Injectable, Module, ModuleMetadata, OnApplicationBootstrap } from '@nestjs/common';

import { HostApplicationLifetime, HostedService, HostedServicesModule } from '../../lib';
import { Deferred, deferred, flush } from '../helpers/deferred';
import { journal, Recorded, track, useApps } from './support/e2e';

let bootGate: Deferred;

/** A dependency that is only ready once its (slow) onApplicationBootstrap has finished. */
@Injectable()
class SlowBoot implements OnApplicationBootstrap {
  ready = false;
  async onApplicationBootstrap(): Promise<void> {
    journal.note('SlowBoot', 'bootstrap');
    await bootGate.promise;
    this.ready = true;
    journal.note('SlowBoot', 'bootstrapped');
  }
}

@HostedService()
class NeedsSlowBoot extends Recorded {
  readyAtStarting: boolean | undefined;
  readyAtStart: boolean | undefined;
  constructor(readonly dep: SlowBoot) {
    super();
  }
  override starting(signal: AbortSignal): void | Promise<void> {
    this.readyAtStarting = this.dep.ready;
    return super.starting(signal);
  }
  override start(signal: AbortSignal): void | Promise<void> {
    this.readyAtStart = this.dep.ready;
    return super.start(signal);
  }
}

@Module({ providers: [SlowBoot], exports: [SlowBoot] })
class SlowBootModule {}

@Global()
@Module({ providers: [SlowBoot], exports: [SlowBoot] })
class SlowBootGlobalModule {}

@Module({ providers: [SlowBoot, NeedsSlowBoot] })
class FeatureWithBothModule {}

/** A provider nobody depends on, whose bootstrap is slow too. */
@Injectable()
class UnrelatedSlowBoot implements OnApplicationBootstrap {
  async onApplicationBootstrap(): Promise<void> {
    journal.note('UnrelatedSlowBoot', 'bootstrap');
    await bootGate.promise;
    journal.note('UnrelatedSlowBoot', 'bootstrapped');
  }
}

@Module({ providers: [UnrelatedSlowBoot] })
class UnrelatedModule {}

@HostedService()
class One extends Recorded {}
@HostedService()
class Two extends Recorded {}

const hosting = (): DynamicModule => HostedServicesModule.forRoot({ logger: false });

const placements: Array<[string, () => ModuleMetadata]> = [
  ['in the same (root) module', () => ({ imports: [hosting()], providers: [NeedsSlowBoot, SlowBoot] })],
  ['in an imported module', () => ({ imports: [hosting(), SlowBootModule], providers: [NeedsSlowBoot] })],
  ['in a global module', () => ({ imports: [hosting(), SlowBootGlobalModule], providers: [NeedsSlowBoot] })],
  ['next to the service, in an imported module', () => ({ imports: [hosting(), FeatureWithBothModule] })],
];

describe('hosted services start after the bootstrap hooks', () => {
  const apps = useApps();
  beforeEach(() => {
    journal.reset();
    bootGate = deferred();
  });

  it.each(placements)('of a dependency %s (and app.init() waits for both)', async (_where, metadata) => {
    const app = await apps.compile(metadata());
    const init = app.init();
    const initState = track(init);
    await flush();
    expect(journal.calls).toEqual(['SlowBoot:bootstrap']); // the dependency's hook is pending
    expect(initState.done).toBe(false);

    bootGate.resolve();
    await init;
    const service = app.get(NeedsSlowBoot);
    expect(service.readyAtStarting).toBe(true);
    expect(service.readyAtStart).toBe(true);
    expect(journal.calls.slice(0, 3)).toEqual([
      'SlowBoot:bootstrap',
      'SlowBoot:bootstrapped',
      'NeedsSlowBoot:starting',
    ]);
  });

  it('of every provider, including ones the service does not depend on', async () => {
    const app = await apps.compile({ imports: [hosting(), UnrelatedModule], providers: [One] });
    const init = app.init();
    await flush();
    expect(journal.calls).toEqual(['UnrelatedSlowBoot:bootstrap']);
    bootGate.resolve();
    await init;
    expect(journal.calls.slice(0, 3)).toEqual([
      'UnrelatedSlowBoot:bootstrap',
      'UnrelatedSlowBoot:bootstrapped',
      'One:starting',
    ]);
  });

  it('and app.init() does not resolve before every hosted service has started', async () => {
    const startGate = deferred();
    const entered = deferred();
    journal.when('Two', 'start', () => {
      entered.resolve();
      return startGate.promise;
    });
    const app = await apps.compile({ imports: [hosting()], providers: [One, Two] });
    const lifetime = app.get(HostApplicationLifetime);
    const init = app.init();
    const initState = track(init);
    await entered.promise;
    await flush();
    expect(initState.done).toBe(false);
    expect(lifetime.hasFired('started')).toBe(false);
    expect(journal.of('started')).toEqual([]);

    startGate.resolve();
    await init;
    expect(journal.of('start')).toEqual(['One', 'Two']);
    expect(journal.of('started')).toEqual(['One', 'Two']);
    expect(lifetime.hasFired('started')).toBe(true);
  });
});
