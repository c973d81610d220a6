import { beforeEach, describe, expect, it } from '@jest/globals';
import { Inject, Injectable, Scope } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';

import { Clock, FakeClock, HostedService, HostedServicesModule } from '../../../lib';
import { OnUnitOfWorkEnd } from '../../../lib/scope/on-unit-of-work-end.interface';
import { ServiceScopeFactory } from '../../../lib/scope/service-scope-factory';
import { UnitOfWork } from '../../../lib/scope/unit-of-work';
import { TimedBackgroundService, TimedRun } from '../../../lib/services/timed-background-service';
import { CaptureLogger } from '../../helpers/capture-logger';
import { flush } from '../../helpers/deferred';
import { track, useApps } from '../support/e2e';
import { aborted, NestLogSpy } from './timed.e2e-fixtures';

/** Singleton: names instances and records what they go through. Never disposed by a scope. */
@Injectable()
class Ledger {
  readonly events: string[] = [];
  readonly #counts = new Map<string, number>();
  name(kind: string): string {
    const n = (this.#counts.get(kind) ?? 0) + 1;
    this.#counts.set(kind, n);
    return `${kind}#${n}`;
  }
}

/** What a test makes a run or a disposal do. */
const script: { run: (run: TimedRun) => void | Promise<void>; closing: (name: string) => void | Promise<void> } = {
  run: () => undefined,
  closing: () => undefined,
};

/** Request-scoped, created first in each unit: disposed last, through the library's hook. */
@Injectable({ scope: Scope.REQUEST })
class RunConnection implements OnUnitOfWorkEnd {
  readonly name: string;
  constructor(readonly ledger: Ledger) {
    this.name = ledger.name('connection');
    ledger.events.push(`${this.name} opened`);
  }
  async onUnitOfWorkEnd(): Promise<void> {
    await script.closing(this.name);
    this.ledger.events.push(`${this.name} closed`);
  }
}

/** Request-scoped, depends on the connection and on the unit (`REQUEST`); `Symbol.asyncDispose`. */
@Injectable({ scope: Scope.REQUEST })
class RunContext {
  readonly name: string;
  constructor(
    readonly ledger: Ledger,
    readonly connection: RunConnection,
    @Inject(REQUEST) readonly unit: UnitOfWork,
  ) {
    this.name = ledger.name('context');
    ledger.events.push(`${this.name} created`);
  }
  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.resolve();
    this.ledger.events.push(`${this.name} disposed`);
  }
}

@HostedService()
class ScopedTimed extends TimedBackgroundService {
  readonly seen: Array<{ run: TimedRun; context: RunContext; again: RunContext }> = [];

  constructor(
    clock: Clock,
    scopes: ServiceScopeFactory,
    readonly ledger: Ledger,
  ) {
    super({ period: 1_000, scopePerRun: true }, { clock, scopes });
  }

  protected async doWork(run: TimedRun): Promise<void> {
    const context = await run.scope!.resolve(RunContext);
    const again = await run.scope!.resolve(RunContext);
    this.seen.push({ run, context, again });
    this.ledger.events.push(`run ${run.run} uses ${context.name}`);
    await script.run(run);
  }
}

describe('TimedBackgroundService with scopePerRun', () => {
  const apps = useApps();
  beforeEach(() => {
    script.run = () => undefined;
    script.closing = () => undefined;
  });

  async function boot() {
    const clock = new FakeClock();
    const logs = new CaptureLogger();
    const nest = new NestLogSpy();
    const app = await apps.compile(
      {
        imports: [HostedServicesModule.forRoot({ logger: logs })],
        providers: [ServiceScopeFactory, Ledger, RunConnection, RunContext, ScopedTimed],
      },
      { clock, configure: (builder) => builder.setLogger(nest) },
    );
    await app.init();
    await flush();
    return { app, clock, logs, nest, service: app.get(ScopedTimed), events: app.get(Ledger).events };
  }

  it('gives each run a fresh scope, shared within the run and disposed after it, last created first', async () => {
    const { app, clock, service, events } = await boot();
    await clock.advance(2_000);

    expect(events).toEqual([
      'connection#1 opened',
      'context#1 created',
      'run 1 uses context#1',
      'context#1 disposed',
      'connection#1 closed',
      'connection#2 opened',
      'context#2 created',
      'run 2 uses context#2',
      'context#2 disposed',
      'connection#2 closed',
      'connection#3 opened',
      'context#3 created',
      'run 3 uses context#3',
      'context#3 disposed',
      'connection#3 closed',
    ]);
    const contexts = service.seen.map((s) => s.context);
    expect(new Set(contexts).size).toBe(3); // one instance per run…
    expect(service.seen.every((s) => s.again === s.context)).toBe(true); // …shared within it
    expect(new Set(service.seen.map((s) => s.run.scope)).size).toBe(3);
    // The run's scope is the unit: REQUEST is its unit of work, labelled with the run.
    for (const { run, context } of service.seen) {
      expect(context.unit).toBe(run.scope!.unitOfWork);
      expect(run.scope!.unitOfWork.label).toBe(`ScopedTimed run #${run.run}`);
    }
    // A disposed scope hands out nothing more.
    await expect(service.seen[0].run.scope!.resolve(RunContext)).rejects.toMatchObject({
      code: 'HOSTING_SCOPE_DISPOSED',
    });
    await apps.close(app);
    expect(clock.pendingTimers).toBe(0);
  });

  it('disposes the scope of a failed run, and of the run in flight when the application closes', async () => {
    script.run = async (run) => {
      if (run.run === 2) throw new Error('run 2 failed');
      if (run.run === 3) await aborted(run.signal);
    };
    const { app, clock, logs, nest, events } = await boot();
    script.closing = (name) => (name === 'connection#3' ? clock.delay(500) : undefined); // a slow close
    await clock.advance(2_000); // run 3 is in flight, waiting for its signal
    expect(events.filter((e) => e.includes('#2'))).toEqual([
      'connection#2 opened',
      'context#2 created',
      'run 2 uses context#2',
      'context#2 disposed',
      'connection#2 closed',
    ]);
    expect(logs.messages('error')).toEqual(['ScopedTimed: run #2 failed: Error: run 2 failed']);
    expect(nest.lines.filter((l) => /run #/.test(l.message))).toEqual([]); // through the host's logger only
    expect(events.at(-1)).toBe('run 3 uses context#3');

    const closing = apps.close(app); // aborts run 3, and resolves only once its scope is disposed
    const closed = track(closing);
    await clock.advance(499);
    expect(closed.done).toBe(false);
    expect(events.at(-1)).toBe('context#3 disposed');
    await clock.advance(1);
    await closing;
    expect(events.at(-1)).toBe('connection#3 closed');
    expect(clock.pendingTimers).toBe(0);
  });

  it('logs a scope whose disposal failed, and the schedule goes on', async () => {
    script.closing = (name) => {
      if (name === 'connection#2') throw new Error('connection reset');
    };
    const { app, clock, logs, service } = await boot();
    await clock.advance(3_000);
    expect(logs.messages('error')).toEqual([
      'ScopedTimed: disposing the scope of run #2 failed: Error: connection reset',
    ]);
    expect(service.runCount).toBe(4);
    await apps.close(app);
  });
});
