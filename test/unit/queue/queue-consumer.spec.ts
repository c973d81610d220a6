import { describe, expect, it } from '@jest/globals';

import { WorkItem } from '../../../lib';
import { balanced, queueHarness, settle } from './queue.fixtures';

describe('the queue consumer: order and concurrency', () => {
  it('runs items one at a time, in FIFO order, by default', async () => {
    const { queue, consumer, items } = queueHarness();
    expect(queue.options.concurrency).toBe(1);
    const ids = ['a', 'b', 'c', 'd', 'e'];
    items.hold(...ids);
    for (const id of ids) await queue.enqueue(items.item(id));
    consumer.start();
    for (const id of ids) {
      await settle();
      expect(items.running).toEqual([id]); // exactly one at a time, and the oldest
      expect(queue.stats.running).toBe(1);
      items.release(id);
    }
    await settle();
    expect(items.started).toEqual(ids);
    expect(items.ended).toEqual(ids);
    expect(queue.stats).toMatchObject({ accepted: 5, succeeded: 5, running: 0, pending: 0 });
  });

  it('picks up items enqueued while it idles, in order', async () => {
    const { queue, consumer, items } = queueHarness();
    consumer.start();
    await settle();
    for (const id of ['a', 'b']) await queue.enqueue(items.item(id));
    await settle();
    queue.tryEnqueue(items.item('c'));
    await settle();
    expect(items.ended).toEqual(['a', 'b', 'c']);
  });

  it('with concurrency n runs at most n at once, and starts them in FIFO order whatever order they finish in', async () => {
    const { queue, consumer, items } = queueHarness({ concurrency: 3 });
    const ids = ['i0', 'i1', 'i2', 'i3', 'i4', 'i5', 'i6'];
    items.hold(...ids);
    let running = 0;
    let peak = 0;
    for (const id of ids) {
      const work = items.item(id);
      await queue.enqueue(async (signal, context) => {
        peak = Math.max(peak, ++running);
        try {
          await work(signal, context);
        } finally {
          running--;
        }
      });
    }
    consumer.start();
    await settle();
    expect(items.running).toEqual(['i0', 'i1', 'i2']);
    expect(queue.stats).toMatchObject({ running: 3, pending: 4 });

    items.release('i1'); // finishes out of order: the next one in line starts
    await settle();
    expect(items.running).toEqual(['i0', 'i2', 'i3']);
    items.release('i3', 'i2');
    await settle();
    expect(items.running).toEqual(['i0', 'i4', 'i5']);
    items.release('i0', 'i4', 'i5', 'i6');
    await settle();
    expect(items.started).toEqual(ids);
    expect(items.ended.sort()).toEqual(ids);
    expect(peak).toBe(3);
    expect(queue.stats).toMatchObject({ accepted: 7, succeeded: 7, running: 0 });
  });

  it('passes each item its signal (not aborted while running normally) and its label', async () => {
    const { queue, consumer, items } = queueHarness();
    await queue.enqueue(items.item('a'), { label: 'mail 1' });
    await queue.enqueue(items.item('b'));
    consumer.start();
    await settle();
    expect(items.signals.get('a')?.aborted).toBe(false);
    expect(items.contexts.get('a')).toEqual({ label: 'mail 1', scope: undefined });
    expect(items.contexts.get('b')).toEqual({ label: '', scope: undefined });
  });

  it('counts a synchronous item (returning nothing) as succeeded', async () => {
    const { queue, consumer } = queueHarness();
    const ran: string[] = [];
    await queue.enqueue(() => void ran.push('sync'));
    consumer.start();
    await settle();
    expect(ran).toEqual(['sync']);
    expect(queue.stats).toMatchObject({ accepted: 1, succeeded: 1, failed: 0 });
  });
});

describe('a failing item', () => {
  const failures: Array<[string, WorkItem, string]> = [
    ['throws synchronously', () => { throw new Error('sync boom'); }, 'Error: sync boom'], // prettier-ignore
    ['rejects', () => Promise.reject(new RangeError('async boom')), 'RangeError: async boom'],
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- the point of the test
    ['throws a non-Error', () => { throw 'a bare string'; }, 'non-Error value thrown: a bare string'], // prettier-ignore
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the point of the test
    ['rejects with undefined', () => Promise.reject(undefined), 'non-Error value thrown: undefined'],
  ];

  it.each(failures)(
    'that %s is logged at error with its label, counted as failed, and the loop goes on',
    async (_, failing, described) => {
      const { queue, consumer, items, logger } = queueHarness();
      await queue.enqueue(items.item('before'));
      await queue.enqueue(failing, { label: 'the bad one' });
      await queue.enqueue(items.item('after'));
      consumer.start();
      await settle();
      expect(items.ended).toEqual(['before', 'after']);
      expect(logger.messages('error')).toEqual([`Queue "default": work item the bad one failed: ${described}`]);
      expect(queue.stats).toMatchObject({ accepted: 3, succeeded: 2, failed: 1, running: 0 });
      expect(balanced(queue)).toBe(true);
    },
  );

  it('is named by its sequence number when it has no label', async () => {
    const { queue, consumer, logger } = queueHarness({ name: 'jobs' });
    await queue.enqueue(() => undefined);
    await queue.enqueue(() => Promise.reject(new Error('no label')));
    consumer.start();
    await settle();
    expect(logger.messages('error')).toEqual(['Queue "jobs": work item #2 failed: Error: no label']);
  });

  it('never stops the loop, even when every item fails, with concurrency', async () => {
    const { queue, consumer, items } = queueHarness({ concurrency: 2 });
    for (let i = 0; i < 10; i++) {
      await queue.enqueue(i % 2 === 0 ? () => Promise.reject(new Error(`e${i}`)) : items.item(`ok${i}`));
    }
    consumer.start();
    await settle();
    expect(items.ended).toEqual(['ok1', 'ok3', 'ok5', 'ok7', 'ok9']);
    await queue.enqueue(items.item('later'));
    await settle();
    expect(items.ended).toContain('later');
    expect(queue.stats).toMatchObject({ accepted: 11, succeeded: 6, failed: 5 });
  });
});
