import { describe, expect, it } from '@jest/globals';
import { Inject, Injectable, Module, Scope } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';

import {
  BackgroundTaskQueue,
  getQueueToken,
  InjectQueue,
  OnUnitOfWorkEnd,
  UnitOfWork,
  WorkItemContext,
} from '../../../lib';
import { deferred, flush } from '../../helpers/deferred';
import { track } from '../support/e2e';
import { report, useQueueApps } from './queue.e2e-fixtures';

@Injectable()
class Producers {
  constructor(
    readonly defaultQueue: BackgroundTaskQueue,
    @InjectQueue() readonly defaultByName: BackgroundTaskQueue,
    @InjectQueue('a') readonly a: BackgroundTaskQueue,
    @Inject(getQueueToken('b')) readonly b: BackgroundTaskQueue,
  ) {}
}

/** Injects the default queue from a module that imports nothing: the queue module is global. */
@Injectable()
class DeepProducer {
  constructor(readonly queue: BackgroundTaskQueue) {}
}
@Module({ providers: [DeepProducer], exports: [DeepProducer] })
class FeatureModule {}

describe('BackgroundTaskQueueModule: injection', () => {
  const apps = useQueueApps();

  it('injects the default queue by its class, by @InjectQueue() and by getQueueToken(), as one instance, anywhere', async () => {
    const { app, queue } = await apps.compile({
      queues: [{}, { name: 'a' }, { name: 'b' }],
      providers: [Producers],
      imports: [FeatureModule],
    });
    await app.init();
    const p = app.get(Producers);
    expect(p.defaultQueue).toBe(queue());
    expect(p.defaultByName).toBe(queue());
    expect(app.get(getQueueToken('default'))).toBe(queue());
    expect(app.get(DeepProducer).queue).toBe(queue());
    expect(p.defaultQueue.name).toBe('default');
    expect([p.a.name, p.b.name]).toEqual(['a', 'b']);
    expect(new Set([p.defaultQueue, p.a, p.b]).size).toBe(3);
    expect(p.a).toBeInstanceOf(BackgroundTaskQueue);
  });

  it('provides the BackgroundTaskQueue class token only for the default queue', async () => {
    const { app } = await apps.compile({ queues: [{ name: 'a' }] });
    await app.init();
    expect(() => app.get(BackgroundTaskQueue)).toThrow();
    expect(app.get<BackgroundTaskQueue>(getQueueToken('a')).name).toBe('a');
  });

  it('runs several named queues independently: each has its own consumer, options, counters and report', async () => {
    const { app, queue, logger, handBacks, clock } = await apps.compile({
      queues: [{ name: 'a' }, { name: 'b', concurrency: 2, capacity: 1, fullMode: 'reject' }],
      shutdownTimeout: 1_000,
    });
    await app.init();
    const a = queue('a');
    const b = queue('b');
    const blockA = deferred();
    const ran: string[] = [];
    await a.enqueue(() => blockA.promise, { label: 'a-blocker' });
    await a.enqueue(() => void ran.push('a2'), { label: 'a2' });
    for (const id of ['b1', 'b2', 'b3']) {
      await b.enqueue(() => void ran.push(id), { label: id });
      await flush();
    }
    expect(ran).toEqual(['b1', 'b2', 'b3']); // `a` being stuck does not hold `b` back
    expect(a.stats).toMatchObject({ accepted: 2, running: 1, pending: 1 });
    expect(b.stats).toMatchObject({ accepted: 3, succeeded: 3 });
    expect([a.options.capacity, b.options.capacity]).toEqual([100, 1]);

    const closing = apps.close(app);
    await clock.advance(1_000);
    await closing;
    expect(handBacks.calls).toEqual(['a/shutdown: a2:false, a-blocker:true']);
    expect(logger.messages('log').filter((m) => m.startsWith('Queue'))).toEqual(
      expect.arrayContaining([report('a', 2, 0, 0, 2), report('b', 3, 3, 0, 0)]),
    );
    expect(clock.pendingTimers).toBe(0);
  });
});

/** A per-item provider that records its life: one instance per item, disposed after it. */
const life: string[] = [];
let instances = 0;
const disposeGate: { wait: Promise<void> | undefined } = { wait: undefined };

@Injectable({ scope: Scope.REQUEST })
class ItemContext implements OnUnitOfWorkEnd {
  readonly name = `ctx${++instances}`;
  constructor(@Inject(REQUEST) readonly unit: UnitOfWork) {
    life.push(`${this.name} created`);
  }
  async onUnitOfWorkEnd(): Promise<void> {
    await disposeGate.wait;
    life.push(`${this.name} disposed`);
  }
}

describe("BackgroundTaskQueueModule: 'scopePerItem'", () => {
  const apps = useQueueApps();
  const reset = (): void => {
    life.length = 0;
    instances = 0;
    disposeGate.wait = undefined;
  };

  const scopedItem =
    (id: string, seen: Array<{ id: string; first: ItemContext; second: ItemContext; context: WorkItemContext }>) =>
    async (_signal: AbortSignal, context: WorkItemContext): Promise<void> => {
      const first = await context.scope!.resolve(ItemContext);
      const second = await context.scope!.resolve(ItemContext);
      seen.push({ id, first, second, context });
      life.push(`${id} ran with ${first.name}`);
    };

  it('gives each item its own scope: a request-scoped provider differs per item, and is disposed after the item', async () => {
    reset();
    const { app, queue } = await apps.compile({ queues: [{ scopePerItem: true }], providers: [ItemContext] });
    await app.init();
    const seen: Array<{ id: string; first: ItemContext; second: ItemContext; context: WorkItemContext }> = [];
    for (const id of ['x', 'y', 'z']) await queue().enqueue(scopedItem(id, seen), { label: id });
    await flush(10);
    expect(life).toEqual([
      'ctx1 created', 'x ran with ctx1', 'ctx1 disposed',
      'ctx2 created', 'y ran with ctx2', 'ctx2 disposed',
      'ctx3 created', 'z ran with ctx3', 'ctx3 disposed',
    ]); // prettier-ignore
    for (const s of seen) expect(s.second).toBe(s.first); // one instance within the item
    expect(new Set(seen.map((s) => s.first.unit)).size).toBe(3); // a unit of work per item
    expect(seen.map((s) => s.context.label)).toEqual(['x', 'y', 'z']);
    expect(queue().stats).toMatchObject({ accepted: 3, succeeded: 3 });
  });

  it('disposes the scope of a failing item too', async () => {
    reset();
    const { app, queue, logger } = await apps.compile({ queues: [{ scopePerItem: true }], providers: [ItemContext] });
    await app.init();
    await queue().enqueue(
      async (_s, { scope }) => {
        await scope!.resolve(ItemContext);
        throw new Error('item failed');
      },
      { label: 'bad' },
    );
    await flush(10);
    expect(life).toEqual(['ctx1 created', 'ctx1 disposed']);
    expect(logger.messages('error')).toEqual(['Queue "default": work item bad failed: Error: item failed']);
  });

  it('gives no scope without scopePerItem', async () => {
    reset();
    const { app, queue } = await apps.compile({ queues: [{}] });
    await app.init();
    const contexts: WorkItemContext[] = [];
    await queue().enqueue((_s, context) => void contexts.push(context));
    await flush();
    expect(contexts).toEqual([{ label: '', scope: undefined }]);
  });

  it.each([1, 3])(
    'with concurrency %i, the stop waits for the last items’ scopes to be disposed',
    async (concurrency) => {
      reset();
      const { app, queue, clock } = await apps.compile({
        queues: [{ scopePerItem: true, concurrency }],
        providers: [ItemContext],
      });
      await app.init();
      const gate = deferred();
      disposeGate.wait = gate.promise;
      const seen: Array<{ id: string; first: ItemContext; second: ItemContext; context: WorkItemContext }> = [];
      await queue().enqueue(scopedItem('x', seen), { label: 'x' });
      await flush(10);
      expect(life).toEqual(['ctx1 created', 'x ran with ctx1']); // its scope is being disposed
      const closing = track(apps.close(app));
      await flush(10);
      expect(closing.done).toBe(false); // nothing is torn down under a disposal still under way
      gate.resolve();
      await flush(10);
      expect(closing.done).toBe(true);
      expect(life).toEqual(['ctx1 created', 'x ran with ctx1', 'ctx1 disposed']);
      expect(clock.pendingTimers).toBe(0);
    },
  );
});
