import { describe, expect, it } from '@jest/globals';

import { isHostingError, QueueFullError, TaskQueueOptions } from '../../../lib';
import { balanced, queueHarness, settle, track } from './queue.fixtures';

/*
 * Capacity and the four full modes. The consumer is not started unless a test says so, so what is
 * enqueued stays queued and `stats.pending` shows exactly what the queue holds.
 */

function setup(options: TaskQueueOptions) {
  const h = queueHarness(options);
  const { items } = h;
  const enqueue = (id: string, signal?: AbortSignal) => h.queue.enqueue(items.item(id), { label: id, signal });
  const tryEnqueue = (id: string) => h.queue.tryEnqueue(items.item(id), { label: id });
  return { ...h, enqueue, tryEnqueue };
}

describe('queue capacity', () => {
  it('defaults to 100 and is bounded: the 101st item does not fit', async () => {
    const { queue, enqueue, tryEnqueue } = setup({});
    expect(queue.options.capacity).toBe(100);
    for (let i = 0; i < 100; i++) await enqueue(`i${i}`);
    expect(queue.stats).toMatchObject({ accepted: 100, pending: 100 });
    expect(tryEnqueue('one too many')).toBe(false);
    const waiting = track(enqueue('waits'));
    await settle();
    expect(waiting.done).toBe(false);
    expect(queue.stats).toMatchObject({ accepted: 100, pending: 100 });
  });

  it('holds at most `capacity` items in every full mode', async () => {
    for (const fullMode of ['wait', 'dropOldest', 'dropNewest', 'reject'] as const) {
      const { queue: q, items } = setup({ capacity: 3, fullMode });
      for (let i = 0; i < 10; i++) {
        void q.enqueue(items.item(`i${i}`)).catch(() => undefined);
        q.tryEnqueue(items.item(`t${i}`));
        expect(q.stats.pending).toBeLessThanOrEqual(3);
      }
      await settle();
      expect(q.stats.pending).toBe(3);
    }
  });

  it('accepts any number of items with capacity Infinity', async () => {
    const { queue, enqueue } = setup({ capacity: Infinity });
    for (let i = 0; i < 1_000; i++) await enqueue(`i${i}`);
    expect(queue.stats).toMatchObject({ accepted: 1_000, pending: 1_000 });
  });
});

describe("fullMode 'wait' (the default): backpressure", () => {
  it('resolves enqueue only once there is room, then runs the item in its FIFO place', async () => {
    const { queue, consumer, items, enqueue } = setup({ capacity: 2 });
    expect(queue.options.fullMode).toBe('wait');
    items.hold('a');
    await enqueue('a');
    await enqueue('b');
    const c = track(enqueue('c'));
    await settle();
    expect(c.done).toBe(false);
    expect(queue.stats).toMatchObject({ accepted: 2, pending: 2 });

    consumer.start(); // takes `a`: room for `c`
    await settle();
    expect(c).toMatchObject({ done: true, error: undefined });
    expect(queue.stats).toMatchObject({ accepted: 3, pending: 2, running: 1 });
    items.release('a');
    await settle();
    expect(items.ended).toEqual(['a', 'b', 'c']);
    expect(queue.stats).toMatchObject({ accepted: 3, succeeded: 3, pending: 0, running: 0 });
  });

  it('admits waiting writers in the order they started waiting', async () => {
    const { consumer, items, enqueue } = setup({ capacity: 1 });
    await enqueue('a');
    const waits = ['b', 'c', 'd'].map((id) => enqueue(id));
    consumer.start();
    await Promise.all(waits);
    await settle();
    expect(items.ended).toEqual(['a', 'b', 'c', 'd']);
  });

  it("rejects with the signal's reason when the signal aborts while waiting, and the item is not queued", async () => {
    const { queue, consumer, items, enqueue, handBacks } = setup({ capacity: 1 });
    await enqueue('a');
    const controller = new AbortController();
    const c = enqueue('c', controller.signal);
    const d = enqueue('d');
    const reason = new Error('caller gave up');
    controller.abort(reason);
    await expect(c).rejects.toBe(reason);
    expect(queue.stats).toMatchObject({ accepted: 1, pending: 1 });

    consumer.start();
    await d;
    await settle();
    expect(items.started).toEqual(['a', 'd']); // `c` never runs
    expect(handBacks).toEqual([]); // and is not handed back: it was never accepted
    expect(queue.stats).toMatchObject({ accepted: 2, succeeded: 2 });
    expect(balanced(queue)).toBe(true);
  });

  it('rejects at once with an already-aborted signal when full', async () => {
    const { queue, enqueue } = setup({ capacity: 1 });
    await enqueue('a');
    const reason = new Error('already');
    await expect(enqueue('b', AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(queue.stats).toMatchObject({ accepted: 1, pending: 1 });
  });

  it('tryEnqueue returns false when full, and the item never runs', async () => {
    const { queue, consumer, items, enqueue, tryEnqueue } = setup({ capacity: 2 });
    expect(tryEnqueue('a')).toBe(true);
    expect(tryEnqueue('b')).toBe(true);
    expect(tryEnqueue('c')).toBe(false);
    expect(queue.stats).toMatchObject({ accepted: 2, pending: 2 });
    consumer.start();
    await settle();
    expect(items.ended).toEqual(['a', 'b']);
    expect(tryEnqueue('d')).toBe(true);
    await enqueue('e');
    await settle();
    expect(items.ended).toEqual(['a', 'b', 'd', 'e']);
    expect(queue.stats).toMatchObject({ accepted: 4, succeeded: 4 });
  });

  it('tryEnqueue returns false while writers wait, even with room: it does not jump their queue', async () => {
    const { queue, consumer, items, enqueue, tryEnqueue } = setup({ capacity: 4 });
    items.hold('a');
    for (const id of ['a', 'b', 'c', 'd']) await enqueue(id);
    const e = track(enqueue('e'));
    consumer.start(); // takes `a`: 3 of 4 slots used, but `e` waits until the buffer is half empty
    await settle();
    expect(queue.stats).toMatchObject({ pending: 3, running: 1 });
    expect(e.done).toBe(false);
    expect(tryEnqueue('f')).toBe(false);
    items.release('a');
    await settle();
    expect(items.ended).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe.each([
  ['dropOldest', ['b', 'c'], 'a'],
  ['dropNewest', ['a', 'c'], 'b'],
] as const)("fullMode '%s'", (fullMode, kept, evicted) => {
  it(`accepts the new item at once, hands '${evicted}' back as 'dropped', and counts it as handed back`, async () => {
    const { queue, consumer, items, enqueue, handBacks } = setup({ capacity: 2, fullMode });
    await enqueue('a');
    await enqueue('b');
    expect(handBacks).toEqual([]);
    await enqueue('c');
    expect(handBacks).toEqual([{ reason: 'dropped', items: [`${evicted}:false`] }]);
    expect(queue.stats).toMatchObject({ accepted: 3, handedBack: 1, pending: 2 });

    consumer.start();
    await settle();
    expect(items.ended).toEqual(kept);
    expect(queue.stats).toMatchObject({ accepted: 3, succeeded: 2, handedBack: 1, pending: 0 });
    expect(balanced(queue)).toBe(true);
  });

  it('hands back the very function that was enqueued', async () => {
    const { queue, handedBack } = setup({ capacity: 1, fullMode });
    const first = (): void => undefined;
    const second = (): void => undefined;
    await queue.enqueue(first);
    await queue.enqueue(second);
    expect(handedBack).toHaveLength(1);
    expect(handedBack[0]).toEqual({ work: first, label: '#1', started: false });
  });

  it('tryEnqueue always returns true, dropping the same way', () => {
    const { queue, tryEnqueue, handBacks } = setup({ capacity: 2, fullMode });
    expect(['a', 'b', 'c'].map(tryEnqueue)).toEqual([true, true, true]);
    expect(handBacks).toEqual([{ reason: 'dropped', items: [`${evicted}:false`] }]);
    expect(queue.stats).toMatchObject({ accepted: 3, handedBack: 1, pending: 2 });
  });

  it('logs the dropped item by label (warn) when there is no onUnprocessed', async () => {
    const { queue, logger, enqueue } = setup({ capacity: 2, fullMode, onUnprocessed: undefined });
    await enqueue('a');
    await enqueue('b');
    await enqueue('c');
    expect(logger.messages('warn')).toEqual([
      `Queue "default": 1 work item(s) not run (dropped) and no onUnprocessed callback to take them: ${evicted}`,
    ]);
    expect(queue.stats.handedBack).toBe(1);
  });
});

describe("fullMode 'reject'", () => {
  it('rejects with QueueFullError (HOSTING_QUEUE_FULL) when full; the item is not accepted', async () => {
    const { queue, consumer, items, enqueue } = setup({ capacity: 2, fullMode: 'reject', name: 'mail' });
    await enqueue('a');
    await enqueue('b');
    const error = await enqueue('c').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueFullError);
    expect(error).toMatchObject({ code: 'HOSTING_QUEUE_FULL', message: expect.stringContaining('"mail"') });
    expect(isHostingError(error, 'HOSTING_QUEUE_FULL')).toBe(true);
    expect(queue.stats).toMatchObject({ accepted: 2, pending: 2, handedBack: 0 });

    consumer.start();
    await settle();
    expect(items.ended).toEqual(['a', 'b']);
    await enqueue('d'); // room again
    await settle();
    expect(items.ended).toEqual(['a', 'b', 'd']);
    expect(queue.stats).toMatchObject({ accepted: 3, succeeded: 3 });
  });

  it('tryEnqueue returns false when full', () => {
    const { queue, tryEnqueue } = setup({ capacity: 1, fullMode: 'reject' });
    expect(tryEnqueue('a')).toBe(true);
    expect(tryEnqueue('b')).toBe(false);
    expect(queue.stats).toMatchObject({ accepted: 1, pending: 1 });
  });
});
