import { describe, expect, it } from '@jest/globals';

import { UnprocessedWorkItem, WorkItem } from '../../../lib';
import { deferred } from '../../helpers/deferred';
import { balanced, balancedNow, queueHarness, settle, track } from './queue.fixtures';

/*
 * What the consumer hands back at stop, and when: the running items with `'abandon'`, the stop
 * waiting for `onUnprocessed`, and the counters of an item handed back while it still runs.
 */

/** An item that waits for its signal, then gives up by rejecting with the signal's reason. */
const givesUp: WorkItem = (signal) =>
  new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));

/** An item that ignores its signal and never ends. */
const deaf: WorkItem = () => new Promise<void>(() => undefined);

describe("shutdown 'abandon': the running items", () => {
  it('hands back an item that gives up on its signal with started: true, and neither counts it failed nor logs it', async () => {
    const { queue, consumer, handBacks, logger, stop } = queueHarness({ shutdown: 'abandon' });
    await queue.enqueue(givesUp, { label: 'a' });
    await queue.enqueue(() => undefined, { label: 'b' });
    consumer.start();
    await settle();
    await stop();
    expect(handBacks).toEqual([
      { reason: 'shutdown', items: ['b:false'] },
      { reason: 'shutdown', items: ['a:true'] },
    ]);
    expect(queue.stats).toMatchObject({ accepted: 2, succeeded: 0, failed: 0, handedBack: 2, running: 0, pending: 0 });
    expect(logger.messages('error')).toEqual([]);
    expect(logger.messages('log')).toEqual([
      'Queue "default" stopped: accepted 2 = 0 succeeded + 0 failed + 2 handed back',
    ]);
  });

  it('hands back each of several running items that give up, once', async () => {
    const { queue, consumer, handedBack, stop } = queueHarness({ shutdown: 'abandon', concurrency: 3 });
    for (const id of ['a', 'b', 'c']) await queue.enqueue(givesUp, { label: id });
    consumer.start();
    await settle();
    await stop();
    expect(handedBack.map((i) => `${i.label}:${i.started}`).sort()).toEqual(['a:true', 'b:true', 'c:true']);
    expect(queue.stats).toMatchObject({ accepted: 3, failed: 0, handedBack: 3 });
  });

  it('still counts as failed (and logs) an item that fails for a reason of its own', async () => {
    const { queue, consumer, handBacks, logger, stop } = queueHarness({ shutdown: 'abandon' });
    await queue.enqueue(
      (signal) =>
        new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(new Error('disk full')))),
      { label: 'a' },
    );
    consumer.start();
    await settle();
    await stop();
    expect(handBacks).toEqual([]);
    expect(queue.stats).toMatchObject({ accepted: 1, failed: 1, handedBack: 0 });
    expect(logger.messages('error')).toEqual(['Queue "default": work item a failed: Error: disk full']);
  });
});

describe('stop() and a slow onUnprocessed', () => {
  const slow = () => {
    const gate = deferred();
    const calls: string[] = [];
    const onUnprocessed = (items: UnprocessedWorkItem[]): Promise<void> => {
      calls.push(items.map((i) => i.label).join(','));
      return gate.promise;
    };
    return { gate, calls, onUnprocessed };
  };

  it("'abandon': resolves only once the running item's hand-back has completed", async () => {
    const { gate, calls, onUnprocessed } = slow();
    const { queue, consumer, stop } = queueHarness({ shutdown: 'abandon', onUnprocessed });
    await queue.enqueue(givesUp, { label: 'a' });
    consumer.start();
    await settle();
    const stopping = track(stop());
    await settle();
    expect(calls).toEqual(['a']);
    expect(stopping.done).toBe(false);
    gate.resolve();
    await settle();
    expect(stopping.done).toBe(true);
  });

  it("waits for a dropped item's hand-back still under way", async () => {
    const { gate, calls, onUnprocessed } = slow();
    const { queue, consumer, stop } = queueHarness({ capacity: 1, fullMode: 'dropOldest', onUnprocessed });
    await queue.enqueue(() => undefined, { label: 'old' });
    await queue.enqueue(() => undefined, { label: 'new' });
    expect(calls).toEqual(['old']);
    consumer.start();
    const stopping = track(stop());
    await settle();
    expect(stopping.done).toBe(false);
    gate.resolve();
    await settle();
    expect(stopping.done).toBe(true);
    expect(queue.stats).toMatchObject({ accepted: 2, succeeded: 1, handedBack: 1 });
  });
});

describe('an item handed back while it still runs', () => {
  it('is no longer counted as running: the books balance as soon as it is handed back, and stay so when it ends', async () => {
    const { queue, consumer, items, deadline, stop } = queueHarness();
    items.hold('late');
    await queue.enqueue(deaf, { label: 'stuck' });
    await queue.enqueue(items.item('late'), { label: 'late' });
    consumer.start();
    await settle();
    expect(queue.stats).toMatchObject({ running: 1, pending: 1 });
    const stopping = stop();
    deadline.abort(new Error('deadline'));
    await stopping;
    expect(queue.stats).toMatchObject({ accepted: 2, handedBack: 2, running: 0, pending: 0 });
    expect(balanced(queue)).toBe(true);
  });

  it('keeps the books balanced at every step of a concurrent drain cut by the deadline', async () => {
    const { queue, consumer, items, deadline, stop } = queueHarness({ concurrency: 2 });
    items.hold('a', 'b');
    for (const id of ['a', 'b', 'c']) await queue.enqueue(items.item(id), { label: id });
    consumer.start();
    await settle();
    expect(balancedNow(queue)).toBe(true);
    const stopping = stop();
    deadline.abort(new Error('deadline'));
    await stopping;
    expect(balancedNow(queue)).toBe(true);
    items.release('a');
    items.fail('b', new Error('late'));
    await settle();
    expect(queue.stats).toMatchObject({ accepted: 3, succeeded: 0, failed: 0, handedBack: 3, running: 0 });
  });
});
