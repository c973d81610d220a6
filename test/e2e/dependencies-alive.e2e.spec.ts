import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  BeforeApplicationShutdown,
  DynamicModule,
  Inject,
  Injectable,
  Module,
  ModuleMetadata,
  OnApplicationShutdown,
  OnModuleDestroy,
  OnModuleInit,
  Type,
} from '@nestjs/common';

import { BackgroundService, HostedService, HostedServicesModule } from '../../lib';
import { deferred, flush } from '../helpers/deferred';
import { aborted, journal, ownHookProperties, Recorded, signalListeners, track, useApps } from './support/e2e';

type TeardownHook = 'onModuleDestroy' | 'beforeApplicationShutdown' | 'onApplicationShutdown';
type Placement = 'same module' | 'imported module' | 'global module';

/** A resource that is released by one of Nest's teardown hooks and throws once released. */
abstract class Resource {
  open = true;
  protected release(hook: TeardownHook): void {
    journal.note('Resource', hook);
    this.open = false;
  }
  use(): string {
    if (!this.open) throw new Error('Resource used after it was released');
    return 'ok';
  }
}

@Injectable()
class DestroyedResource extends Resource implements OnModuleDestroy {
  onModuleDestroy(): void {
    this.release('onModuleDestroy');
  }
}

@Injectable()
class BeforeShutdownResource extends Resource implements BeforeApplicationShutdown {
  async beforeApplicationShutdown(): Promise<void> {
    this.release('beforeApplicationShutdown');
  }
}

@Injectable()
class ShutdownResource extends Resource implements OnApplicationShutdown {
  onApplicationShutdown(): void {
    this.release('onApplicationShutdown');
  }
}

const RESOURCES: Record<TeardownHook, Type<Resource>> = {
  onModuleDestroy: DestroyedResource,
  beforeApplicationShutdown: BeforeShutdownResource,
  onApplicationShutdown: ShutdownResource,
};

/** A hosted service that uses the resource in its stop, which a test holds open with a gate. */
function consumerOf(resourceType: Type<Resource>): Type<Recorded & { resource: Resource; results: string[] }> {
  @HostedService()
  class Consumer extends Recorded {
    readonly results: string[] = [];
    constructor(@Inject(resourceType) readonly resource: Resource) {
      super();
    }
    override async stop(signal: AbortSignal): Promise<void> {
      this.results.push(this.resource.use()); // before the gate
      await super.stop(signal);
      this.results.push(this.resource.use()); // after the gate
    }
    override stopped(signal: AbortSignal): void | Promise<void> {
      this.results.push(this.resource.use());
      return super.stopped(signal);
    }
  }
  return Consumer;
}

/** A BackgroundService whose execute keeps using the resource after its stop was requested. */
function workerOf(resourceType: Type<Resource>): Type<BackgroundService & { resource: Resource; results: string[] }> {
  @HostedService()
  class Worker extends BackgroundService {
    readonly results: string[] = [];
    constructor(@Inject(resourceType) readonly resource: Resource) {
      super();
    }
    protected async execute(stopping: AbortSignal): Promise<void> {
      journal.note('Worker', 'execute');
      await aborted(stopping);
      // In-flight work that outlives the stop request: still needs the resource.
      await journal.record('Worker', 'finishing');
      this.results.push(this.resource.use());
      journal.note('Worker', 'execute-done');
    }
  }
  return Worker;
}

function place(placement: Placement, resource: Type<Resource>, service: Type): ModuleMetadata {
  const hosting = HostedServicesModule.forRoot({ logger: false });
  if (placement === 'same module') return { imports: [hosting], providers: [service, resource] };
  class ResourceModule {}
  const module: DynamicModule = {
    module: ResourceModule,
    providers: [resource],
    exports: [resource],
    global: placement === 'global module',
  };
  return { imports: [hosting, module], providers: [service] };
}

const HOOKS: TeardownHook[] = ['onModuleDestroy', 'beforeApplicationShutdown', 'onApplicationShutdown'];
const PLACEMENTS: Placement[] = ['same module', 'imported module', 'global module'];
const MATRIX = HOOKS.flatMap((hook) => PLACEMENTS.map((placement) => [hook, placement] as const));

describe('a hosted service’s dependencies stay alive', () => {
  const apps = useApps();
  beforeEach(() => journal.reset());

  it.each(MATRIX)('during its stop: a resource released in %s, in the %s', async (hook, placement) => {
    const Consumer = consumerOf(RESOURCES[hook]);
    const app = await apps.compile(place(placement, RESOURCES[hook], Consumer));
    await app.init();
    const consumer = app.get(Consumer);
    journal.calls.length = 0;

    const gate = deferred();
    const entered = deferred();
    journal.when('Consumer', 'stop', () => {
      entered.resolve();
      return gate.promise;
    });
    const closing = apps.close(app);
    const closeState = track(closing);
    await entered.promise;
    await flush();
    // The stop is pending: Nest must not have released the resource yet.
    expect(journal.calls).toEqual(['Consumer:stopping', 'Consumer:stop']);
    expect(consumer.resource.open).toBe(true);
    expect(closeState.done).toBe(false);

    gate.resolve();
    await closing;
    expect(consumer.results).toEqual(['ok', 'ok', 'ok']);
    expect(journal.calls).toEqual(['Consumer:stopping', 'Consumer:stop', 'Consumer:stopped', `Resource:${hook}`]);
    expect(consumer.resource.open).toBe(false);
  });

  it.each(MATRIX)(
    'until its BackgroundService execute finished: a resource released in %s, in the %s',
    async (hook, placement) => {
      const Worker = workerOf(RESOURCES[hook]);
      const app = await apps.compile(place(placement, RESOURCES[hook], Worker));
      await app.init();
      const worker = app.get(Worker);
      await flush(); // execute begins on a later turn
      expect(journal.calls).toEqual(['Worker:execute']);

      const gate = deferred();
      const finishing = deferred();
      journal.when('Worker', 'finishing', () => {
        finishing.resolve();
        return gate.promise;
      });
      const closing = apps.close(app);
      await finishing.promise;
      await flush();
      expect(journal.calls).toEqual(['Worker:execute', 'Worker:finishing']);
      expect(worker.resource.open).toBe(true);

      gate.resolve();
      await closing;
      expect(worker.results).toEqual(['ok']);
      expect(journal.calls).toEqual(['Worker:execute', 'Worker:finishing', 'Worker:execute-done', `Resource:${hook}`]);
    },
  );
});

// ---- restored after close: the same classes (and one shared instance) in a second application -----

/** One object shared by every application (useValue): the wrappers must not stay on it. */
class SharedConnection implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown {
  open = false;
  onModuleInit(): void {
    this.open = true;
  }
  onModuleDestroy(): void {
    journal.note('SharedConnection', 'onModuleDestroy');
    this.open = false;
  }
  onApplicationShutdown(): void {
    journal.note('SharedConnection', 'onApplicationShutdown');
  }
}
const shared = new SharedConnection();
const SHARED = 'SHARED_CONNECTION';

@Injectable()
class ClassResource extends DestroyedResource {}

@Module({ providers: [ClassResource, { provide: SHARED, useValue: shared }], exports: [ClassResource, SHARED] })
class ResourcesModule implements OnModuleDestroy {
  onModuleDestroy(): void {
    journal.note('ResourcesModule', 'onModuleDestroy');
  }
}

@HostedService()
class SharedUser extends Recorded {
  seen: Array<[boolean, boolean]> = [];
  constructor(
    readonly resource: ClassResource,
    @Inject(SHARED) readonly connection: SharedConnection,
  ) {
    super();
  }
  override stop(signal: AbortSignal): void | Promise<void> {
    this.seen.push([this.resource.open, this.connection.open]);
    return super.stop(signal);
  }
}

describe('after close, provider hooks are restored', () => {
  const apps = useApps();
  beforeEach(() => journal.reset());

  it('so a second application from the same classes behaves the same', async () => {
    const baseline = signalListeners();
    const runs: string[][] = [];
    for (let run = 0; run < 2; run++) {
      journal.reset();
      const app = await apps.compile({
        imports: [HostedServicesModule.forRoot({ logger: false }), ResourcesModule],
        providers: [SharedUser],
      });
      await app.init();
      const user = app.get(SharedUser);
      expect(ownHookProperties(app, [shared]).length).toBeGreaterThan(0); // wrapped while running
      await apps.close(app);
      expect(user.seen).toEqual([[true, true]]);
      expect(ownHookProperties(app, [shared])).toEqual([]);
      expect(signalListeners()).toEqual(baseline);
      runs.push([...journal.calls]);
    }
    expect(runs[0]).toEqual([
      'SharedUser:starting',
      'SharedUser:start',
      'SharedUser:started',
      'SharedUser:stopping',
      'SharedUser:stop',
      'SharedUser:stopped',
      'Resource:onModuleDestroy',
      'SharedConnection:onModuleDestroy',
      'ResourcesModule:onModuleDestroy',
      'SharedConnection:onApplicationShutdown',
    ]);
    expect(runs[1]).toEqual(runs[0]);
    expect(shared.onModuleDestroy).toBe(SharedConnection.prototype.onModuleDestroy);
  });
});
