import { beforeEach, describe, expect, it } from '@jest/globals';
import { Global, Inject, Injectable, Module } from '@nestjs/common';

import { HostedService, HostedServicesModule } from '../../lib';
import { CaptureLogger } from '../helpers/capture-logger';
import { deferred, flush } from '../helpers/deferred';
import { journal, Recorded, useApps } from './support/e2e';

// ---- dependencies inside one module -------------------------------------------------------------
@HostedService()
class Database extends Recorded {}

@HostedService()
class Migrator extends Recorded {
  constructor(readonly db: Database) {
    super();
  }
}

@HostedService()
class Unrelated extends Recorded {}

@Injectable()
class Repository {
  constructor(readonly db: Database) {}
}

/** Depends on a hosted service only through a plain provider. */
@HostedService()
class Reporter extends Recorded {
  constructor(readonly repository: Repository) {
    super();
  }
}

/** Depends on a hosted service through property injection. */
@HostedService()
class Auditor extends Recorded {
  @Inject(Database) readonly db!: Database;
}

/** Built by a factory provider: its dependency is only declared through `inject`. */
@HostedService()
class FactoryMade extends Recorded {
  constructor(readonly db: Database) {
    super();
  }
}
const factoryMade = { provide: FactoryMade, useFactory: (db: Database) => new FactoryMade(db), inject: [Database] };

/** The same class provided by two modules: two instances, two services. */
@HostedService()
class Twin extends Recorded {}
@Module({ providers: [Twin] })
class LeftModule {}
@Module({ providers: [Twin] })
class RightModule {}

// ---- across modules ------------------------------------------------------------------------------
@HostedService()
class Broker extends Recorded {}

@Module({ providers: [Broker], exports: [Broker] })
class BrokerModule {}

/** Lives in a global module (started first by module order) but depends on an imported one. */
@HostedService()
class Publisher extends Recorded {
  constructor(readonly broker: Broker) {
    super();
  }
}

@Global()
@Module({ imports: [BrokerModule], providers: [Publisher], exports: [Publisher] })
class PublisherGlobalModule {}

@HostedService()
class Cache extends Recorded {}

/** Global module registered before CacheGlobalModule, depending on its service. */
@HostedService()
class CacheWarmer extends Recorded {
  constructor(readonly cache: Cache) {
    super();
  }
}

@Global()
@Module({ providers: [CacheWarmer], exports: [CacheWarmer] })
class WarmerGlobalModule {}

@Global()
@Module({ providers: [Cache], exports: [Cache] })
class CacheGlobalModule {}

// ---- module order: global, deepest import, root last --------------------------------------------
@HostedService()
class InGlobal extends Recorded {}
@Global()
@Module({ providers: [InGlobal] })
class SomeGlobalModule {}

@HostedService()
class InDeep extends Recorded {}
@Module({ providers: [InDeep] })
class DeepModule {}

@HostedService()
class InMiddle extends Recorded {}
@Module({ imports: [DeepModule], providers: [InMiddle] })
class MiddleModule {}

@HostedService()
class Zeta extends Recorded {}
@HostedService()
class Alpha extends Recorded {}
@HostedService()
class Mu extends Recorded {}

// ---- explicit order --------------------------------------------------------------------------------
@HostedService({ order: -10 })
class Earliest extends Recorded {}
@HostedService({ order: -1 })
class Early extends Recorded {}
@HostedService({ order: 1 })
class LateGlobal extends Recorded {}
@Global()
@Module({ providers: [LateGlobal] })
class LateGlobalModule {}

// ---- phases ---------------------------------------------------------------------------------------
@HostedService()
class First extends Recorded {}
@HostedService()
class Second extends Recorded {}
@HostedService()
class Third extends Recorded {}

const hosting = HostedServicesModule.forRoot({ logger: false });

function expectBefore(order: readonly string[], first: string, then: string): void {
  expect(order).toContain(first);
  expect(order).toContain(then);
  expect(order.indexOf(first)).toBeLessThan(order.indexOf(then));
}

describe('start order through Nest', () => {
  const apps = useApps();
  beforeEach(() => journal.reset());

  it('starts a service after the hosted service it depends on, declared after it in the same module', async () => {
    const app = await apps.compile({ imports: [hosting], providers: [Migrator, Unrelated, Database] });
    await app.init();
    expectBefore(journal.of('start'), 'Database', 'Migrator');
    expect(journal.of('start')).toHaveLength(3);
  });

  it('keeps declaration order when the dependency is declared first', async () => {
    const app = await apps.compile({ imports: [hosting], providers: [Database, Unrelated, Migrator] });
    await app.init();
    expect(journal.of('start')).toEqual(['Database', 'Unrelated', 'Migrator']);
  });

  it('follows a dependency through a plain (non-hosted) provider', async () => {
    const app = await apps.compile({ imports: [hosting], providers: [Reporter, Repository, Database] });
    await app.init();
    expect(journal.of('start')).toEqual(['Database', 'Reporter']);
  });

  it('follows a property-injected dependency', async () => {
    const app = await apps.compile({ imports: [hosting], providers: [Auditor, Database] });
    await app.init();
    expect(journal.of('start')).toEqual(['Database', 'Auditor']);
  });

  it('follows a dependency declared through a factory provider’s inject', async () => {
    const app = await apps.compile({ imports: [hosting], providers: [factoryMade, Database] });
    await app.init();
    expect(journal.of('start')).toEqual(['Database', 'FactoryMade']);
  });

  it('starts a service once, whatever aliases (useExisting) point at it', async () => {
    const logger = new CaptureLogger();
    const app = await apps.compile({
      imports: [HostedServicesModule.forRoot({ logger })],
      providers: [{ provide: 'DB_ALIAS', useExisting: Database }, Database, Migrator],
    });
    await app.init();
    await apps.close(app);
    expect(journal.of('start')).toEqual(['Database', 'Migrator']);
    expect(journal.of('stop')).toEqual(['Migrator', 'Database']);
    // Logged under its class name, not under the alias token.
    // Real clock here: compare names, not durations.
    expect(startLines(logger)).toEqual(['Database: start', 'Migrator: start']);
  });

  it('follows a dependency on a hosted service that an alias (useExisting) is declared for first', async () => {
    const app = await apps.compile({
      imports: [hosting],
      providers: [Migrator, { provide: 'DB_ALIAS', useExisting: Database }, Database],
    });
    await app.init();
    expect(journal.of('start')).toEqual(['Database', 'Migrator']);
  });

  it('hosts each instance of a class provided by two modules, named after its module', async () => {
    const logger = new CaptureLogger();
    const app = await apps.compile({ imports: [HostedServicesModule.forRoot({ logger }), LeftModule, RightModule] });
    await app.init();
    expect(journal.of('start')).toEqual(['Twin', 'Twin']);
    expect(startLines(logger)).toEqual(['Twin (LeftModule): start', 'Twin (RightModule): start']);
  });

  it('follows a dependency across an imported module, even when module order says otherwise', async () => {
    // Publisher's module is global (hooks first), Broker's is an ordinary import of it.
    const app = await apps.compile({ imports: [hosting, PublisherGlobalModule] });
    await app.init();
    expect(journal.of('start')).toEqual(['Broker', 'Publisher']);
  });

  it('follows a dependency on a service of another global module registered later', async () => {
    const app = await apps.compile({ imports: [hosting, WarmerGlobalModule, CacheGlobalModule] });
    await app.init();
    expect(journal.of('start')).toEqual(['Cache', 'CacheWarmer']);
  });

  it('otherwise starts in Nest module order (global, deepest import, root last), then declaration order', async () => {
    const app = await apps.compile({
      imports: [MiddleModule, hosting, SomeGlobalModule],
      providers: [Zeta, Alpha, Mu],
    });
    await app.init();
    expect(journal.of('start')).toEqual(['InGlobal', 'InDeep', 'InMiddle', 'Zeta', 'Alpha', 'Mu']);
  });

  it('lets @HostedService({ order }) override module and dependency order (negative first)', async () => {
    const app = await apps.compile({
      imports: [hosting, LateGlobalModule, SomeGlobalModule, MiddleModule],
      providers: [Zeta, Early, Earliest],
    });
    await app.init();
    expect(journal.of('start')).toEqual(['Earliest', 'Early', 'InGlobal', 'InDeep', 'InMiddle', 'Zeta', 'LateGlobal']);
  });

  it('stops in the exact reverse of the actual start order, phase by phase', async () => {
    const app = await apps.compile({
      imports: [hosting, LateGlobalModule, PublisherGlobalModule, WarmerGlobalModule, CacheGlobalModule, MiddleModule],
      providers: [Migrator, Reporter, Repository, Unrelated, Database, Early, Earliest, Zeta],
    });
    await app.init();
    const started = journal.of('start');
    expect(started).toHaveLength(14);
    expect(journal.of('starting')).toEqual(started);
    expect(journal.of('started')).toEqual(started);
    await apps.close(app);
    const reversed = [...started].reverse();
    expect(journal.of('stopping')).toEqual(reversed);
    expect(journal.of('stop')).toEqual(reversed);
    expect(journal.of('stopped')).toEqual(reversed);
    // Spot-check that the order we reverse is the one the rules above produce.
    expect(started.slice(0, 2)).toEqual(['Earliest', 'Early']);
    expect(started.at(-1)).toBe('LateGlobal');
    expectBefore(started, 'Broker', 'Publisher');
    expectBefore(started, 'Cache', 'CacheWarmer');
    expectBefore(started, 'Database', 'Migrator');
    expectBefore(started, 'Database', 'Reporter');
  });

  it('runs each phase as a barrier: every starting before any start, every start before any started', async () => {
    const gate = deferred();
    journal.when('First', 'starting', () => gate.promise);
    const app = await apps.compile({ imports: [hosting], providers: [First, Second, Third] });
    const init = app.init();
    await flush();
    expect(journal.calls).toEqual(['First:starting']); // sequential, and nothing else yet
    gate.resolve();
    await init;
    const names = ['First', 'Second', 'Third'];
    expect(journal.calls).toEqual([
      ...names.map((n) => `${n}:starting`),
      ...names.map((n) => `${n}:start`),
      ...names.map((n) => `${n}:started`),
    ]);

    journal.calls.length = 0;
    const stopGate = deferred();
    journal.when('Second', 'stop', () => stopGate.promise);
    const closing = apps.close(app);
    await flush();
    expect(journal.calls).toEqual(['Third:stopping', 'Second:stopping', 'First:stopping', 'Third:stop', 'Second:stop']);
    stopGate.resolve();
    await closing;
    const reversed = [...names].reverse();
    expect(journal.calls).toEqual([
      ...reversed.map((n) => `${n}:stopping`),
      ...reversed.map((n) => `${n}:stop`),
      ...reversed.map((n) => `${n}:stopped`),
    ]);
  });

  it('with servicesStartConcurrently, calls every start before any finishes, keeps the barrier, and stops in reverse completion order', async () => {
    const gates = { First: deferred(), Second: deferred(), Third: deferred() };
    for (const [name, gate] of Object.entries(gates)) journal.when(name, 'start', () => gate.promise);
    const app = await apps.compile({
      imports: [HostedServicesModule.forRoot({ logger: false, servicesStartConcurrently: true })],
      providers: [First, Second, Third],
    });
    const init = app.init();
    await flush();
    expect(journal.only('start', 'started')).toEqual(['First:start', 'Second:start', 'Third:start']);
    gates.Third.resolve();
    gates.First.resolve();
    await flush();
    expect(journal.of('started')).toEqual([]);
    gates.Second.resolve();
    await init;
    // Concurrent phases record the order the starts completed in; the stop reverses exactly that.
    expect(journal.of('started')).toEqual(['Third', 'First', 'Second']);
    await apps.close(app);
    expect(journal.of('stop')).toEqual(['Second', 'First', 'Third']);
  });
});

/** The per-service "start" debug lines, without their (real-clock) durations. */
function startLines(logger: CaptureLogger): string[] {
  return logger
    .messages('debug')
    .filter((m) => m.includes(': start in'))
    .map((m) => m.replace(/ in \d+ms$/, ''));
}
