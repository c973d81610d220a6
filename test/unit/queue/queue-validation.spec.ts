import { describe, expect, it } from '@jest/globals';

import {
  BackgroundTaskQueueModule,
  InvalidOptionError,
  isHostingError,
  QueueClosedError,
  TaskQueueOptions,
  WorkItem,
} from '../../../lib';
import { queueHarness, settle } from './queue.fixtures';

/** Calls `fn` and returns what it threw (failing the test if it did not throw). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('BackgroundTaskQueueModule.register(): options are validated at module definition', () => {
  const bad: Array<[string, unknown]> = [
    ['capacity', 0],
    ['capacity', -1],
    ['capacity', 1.5],
    ['capacity', NaN],
    ['capacity', -Infinity],
    ['capacity', '10'],
    ['fullMode', 'block'],
    ['fullMode', 'DropOldest'],
    ['fullMode', null],
    ['concurrency', 0],
    ['concurrency', -2],
    ['concurrency', 2.5],
    ['concurrency', Infinity],
    ['concurrency', '2'],
    ['scopePerItem', 'yes'],
    ['scopePerItem', 1],
    ['shutdown', 'wait'],
    ['shutdown', true],
    ['onUnprocessed', 'persist'],
    ['onUnprocessed', {}],
    ['name', ''],
    ['name', 42],
  ];

  it.each(bad)('rejects %s = %p with InvalidOptionError naming it', (option, value) => {
    const error = thrown(() => BackgroundTaskQueueModule.register({ [option]: value }));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ code: 'HOSTING_INVALID_OPTION', option, value });
    expect((error as Error).message).toContain(`\`${option}\``);
    expect(isHostingError(error, 'HOSTING_INVALID_OPTION')).toBe(true);
  });

  it.each([null, 'fast', 5])('rejects options that are not an object (%p)', (options) => {
    expect(() => BackgroundTaskQueueModule.register(options as TaskQueueOptions)).toThrow(InvalidOptionError);
  });

  it('accepts the documented values, and applies the defaults', () => {
    const onUnprocessed = (): void => undefined;
    for (const options of [
      {},
      {
        capacity: 1,
        fullMode: 'dropOldest',
        concurrency: 8,
        scopePerItem: true,
        shutdown: 'abandon',
        onUnprocessed,
        name: 'mail',
      },
      { capacity: Infinity, fullMode: 'dropNewest' },
      { fullMode: 'reject' },
      { fullMode: 'wait', scopePerItem: false, shutdown: 'drain', onUnprocessed: undefined },
    ] as TaskQueueOptions[]) {
      expect(() => BackgroundTaskQueueModule.register(options)).not.toThrow();
    }
    expect(queueHarness({ onUnprocessed: undefined }).queue.options).toEqual({
      name: 'default',
      capacity: 100,
      fullMode: 'wait',
      concurrency: 1,
      scopePerItem: false,
      shutdown: 'drain',
      onUnprocessed: undefined,
    });
  });

  it('registers a global module exporting the queue tokens', () => {
    const module = BackgroundTaskQueueModule.register({ name: 'mail' });
    expect(module).toMatchObject({ module: BackgroundTaskQueueModule, global: true, exports: ['HOSTING:QUEUE:mail'] });
  });
});

describe('enqueue() and tryEnqueue(): bad arguments', () => {
  const notFunctions: unknown[] = [undefined, null, 'work', 42, { run: () => undefined }, Promise.resolve()];

  it.each(notFunctions)(
    'enqueue(%p) rejects (never throws) with InvalidOptionError naming `work`; nothing is counted',
    async (work) => {
      const { queue } = queueHarness();
      const result = queue.enqueue(work as WorkItem);
      expect(result).toBeInstanceOf(Promise);
      const error = await result.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect(error).toMatchObject({ option: 'work', value: work });
      expect(queue.stats.accepted).toBe(0);
    },
  );

  it.each(notFunctions)('tryEnqueue(%p) throws InvalidOptionError naming `work`', (work) => {
    const { queue } = queueHarness();
    expect(thrown(() => queue.tryEnqueue(work as WorkItem))).toMatchObject({
      name: 'InvalidOptionError',
      option: 'work',
    });
    expect(queue.stats.accepted).toBe(0);
  });

  it.each([42, null, {}, Symbol('x')])(
    'rejects a non-string label (%p) with InvalidOptionError naming `label`',
    async (label) => {
      const { queue, consumer, items } = queueHarness();
      const error = await queue.enqueue(items.item('a'), { label: label as string }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect(error).toMatchObject({ option: 'label', value: label });
      expect(() => queue.tryEnqueue(items.item('b'), { label: label as string })).toThrow(InvalidOptionError);
      consumer.start();
      await settle();
      expect(items.started).toEqual([]);
      expect(queue.stats.accepted).toBe(0);
    },
  );

  it('reports a bad argument before a closed queue', async () => {
    const { queue } = queueHarness();
    queue.close();
    await expect(queue.enqueue('nope' as unknown as WorkItem)).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(queue.enqueue(() => undefined)).rejects.toBeInstanceOf(QueueClosedError);
  });
});
