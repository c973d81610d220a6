import { describe, expect, it } from '@jest/globals';

import { isHostingError, QueueClosedError } from '../../../lib';
import { QueuedHostedService } from '../../../lib/queue/queued-hosted-service';
import { balanced, queueHarness, settle, track } from './queue.fixtures';

/*
 * The consumer's stop, driven directly: `stop()` is what the host calls, and aborting `deadline`
 * is what the host does when `shutdownTimeout` runs out. (The same paths through Nest, with the
 * host's clock and lifetime, are in test/e2e/queue.)
 */

const report = (name: string, a: number, s: number, f: number, h: number): string =>
  `Queue "${name}" stopped: accepted ${a} = ${s} succeeded + ${f} failed + ${h} handed back`;

describe('a closed queue', () => {
  it('rejects enqueue with QueueClosedError (HOSTING_QUEUE_CLOSED), and tryEnqueue returns false; neither is counted', async () => {
    const { queue, consumer, items } = queueHarness({ name: 'mail' });
    consumer.start();
    await queue.enqueue(items.item('a'));
    expect(queue.closed).toBe(false);
    queue.close();
    expect(queue.closed).toBe(true);
    const error = await queue.enqueue(items.item('late')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueClosedError);
    expect(error).toMatchObject({ code: 'HOSTING_QUEUE_CLOSED', message: expect.stringContaining('"mail"') });
    expect(isHostingError(error, 'HOSTING_QUEUE_CLOSED')).toBe(true);
    expect(queue.tryEnqueue(items.item('late too'))).toBe(false);
    await settle();
    expect(items.started).toEqual(['a']);
    expect(queue.stats).toMatchObject({ accepted: 1, succeeded: 1 });
  });

  it.each(['dropOldest', 'dropNewest', 'reject'] as const)(
    "refuses in '%s' mode too, without dropping anything",
    async (fullMode) => {
      const { queue, items, handBacks } = queueHarness({ capacity: 1, fullMode });
      await queue.enqueue(items.item('a'));
      queue.close();
      await expect(queue.enqueue(items.item('b'))).rejects.toBeInstanceOf(QueueClosedError);
      expect(queue.tryEnqueue(items.item('c'))).toBe(false);
      expect(handBacks).toEqual([]);
      expect(queue.stats).toMatchObject({ accepted: 1, pending: 1, handedBack: 0 });
    },
  );

  it('rejects a writer that was waiting for room with QueueClosedError; its item is not accepted and never runs', async () => {
    const { queue, consumer, items, handBacks, stop } = queueHarness({ capacity: 1 });
    await queue.enqueue(items.item('a'));
    const waiting = queue.enqueue(items.item('b'));
    const outcome = track(waiting);
    await settle();
    expect(outcome.done).toBe(false);
    queue.close();
    await expect(waiting).rejects.toBeInstanceOf(QueueClosedError);
    expect(queue.stats).toMatchObject({ accepted: 1, pending: 1 });
    consumer.start();
    await stop();
    expect(items.started).toEqual(['a']);
    expect(handBacks).toEqual([]);
    expect(queue.stats).toMatchObject({ accepted: 1, succeeded: 1, handedBack: 0 });
  });

  it('stop() closes the queue itself (no lifetime needed)', async () => {
    const { queue, consumer, items, stop } = queueHarness();
    consumer.start();
    await stop();
    await expect(queue.enqueue(items.item('x'))).rejects.toBeInstanceOf(QueueClosedError);
  });
});

describe("shutdown 'drain' (the default)", () => {
  it('runs every queued item before stop() resolves, and logs the report', async () => {
    const { queue, consumer, items, handBacks, logger, stop } = queueHarness();
    expect(queue.options.shutdown).toBe('drain');
    items.hold('a');
    for (const id of ['a', 'b', 'c']) await queue.enqueue(items.item(id), { label: id });
    consumer.start();
    await settle();
    const stopping = track(stop());
    await settle();
    expect(stopping.done).toBe(false);
    expect(items.running).toEqual(['a']);
    items.release('a');
    await settle();
    expect(stopping.done).toBe(true);
    expect(items.ended).toEqual(['a', 'b', 'c']);
    expect(handBacks).toEqual([]);
    expect(logger.messages('log')).toEqual([report('default', 3, 3, 0, 0)]);
    expect(items.signals.get('a')?.aborted).toBe(false);
  });

  it('at the deadline hands back the queued items (started: false) and the running one (started: true), then stops', async () => {
    const { queue, consumer, items, handBacks, handedBack, logger, deadline, stop } = queueHarness();
    items.hold('a');
    for (const id of ['a', 'b', 'c']) await queue.enqueue(items.item(id), { label: id });
    consumer.start();
    await settle();
    const stopping = stop();
    await settle();
    const reason = new Error('deadline');
    deadline.abort(reason);
    await stopping;
    expect(handBacks).toEqual([{ reason: 'shutdown', items: ['b:false', 'c:false', 'a:true'] }]);
    expect(handedBack.map((i) => i.label)).toEqual(['b', 'c', 'a']);
    expect(items.signals.get('a')?.reason).toBe(reason); // the running item is told to give up
    expect(items.started).toEqual(['a']);
    expect(queue.stats).toMatchObject({ accepted: 3, succeeded: 0, failed: 0, handedBack: 3, pending: 0 });
    expect(logger.messages('log')).toEqual([report('default', 3, 0, 0, 3)]);
  });

  it('never also counts a handed-back running item as processed when it settles later', async () => {
    const { queue, consumer, items, logger, deadline, stop } = queueHarness({ concurrency: 2 });
    items.hold('ok', 'bad');
    await queue.enqueue(items.item('ok'), { label: 'ok' });
    await queue.enqueue(items.item('bad'), { label: 'bad' });
    consumer.start();
    await settle();
    const stopping = stop();
    deadline.abort(new Error('deadline'));
    await stopping;
    items.release('ok');
    items.fail('bad', new Error('late failure'));
    await settle();
    expect(items.ended).toEqual(['ok']);
    expect(queue.stats).toMatchObject({ accepted: 2, succeeded: 0, failed: 0, handedBack: 2, running: 0 });
    expect(logger.messages('error')).toEqual([]); // a late failure of a handed-back item is not reported as a failure
    expect(balanced(queue)).toBe(true);
  });

  it('with concurrency hands back every running item with started: true, in start order, after the queued ones', async () => {
    const { queue, consumer, items, handBacks, deadline, stop } = queueHarness({ concurrency: 2 });
    const ids = ['r1', 'r2', 'q1', 'q2'];
    items.hold(...ids);
    for (const id of ids) await queue.enqueue(items.item(id), { label: id });
    consumer.start();
    await settle();
    expect(items.running).toEqual(['r1', 'r2']);
    const stopping = stop();
    deadline.abort(new Error('deadline'));
    await stopping;
    expect(handBacks).toEqual([{ reason: 'shutdown', items: ['q1:false', 'q2:false', 'r1:true', 'r2:true'] }]);
  });

  it('hands everything back at once when the deadline has already passed as stop() begins', async () => {
    const { queue, consumer, items, handBacks, deadline, stop } = queueHarness();
    items.hold('a');
    for (const id of ['a', 'b']) await queue.enqueue(items.item(id), { label: id });
    consumer.start();
    await settle();
    deadline.abort(new Error('spent by an earlier service'));
    await stop();
    expect(handBacks).toEqual([{ reason: 'shutdown', items: ['b:false', 'a:true'] }]);
    expect(items.started).toEqual(['a']);
  });

  it('names unlabelled items #n, n being their place in the order items left the queue (to run or to go back)', async () => {
    const { queue, consumer, items, handBacks, deadline, stop } = queueHarness();
    items.hold('a');
    await queue.enqueue(items.item('a'));
    await queue.enqueue(items.item('b'));
    consumer.start();
    await settle();
    const stopping = stop();
    deadline.abort(new Error('deadline'));
    await stopping;
    expect(handBacks).toEqual([{ reason: 'shutdown', items: ['#2:false', '#1:true'] }]);
  });
});

describe("shutdown 'abandon'", () => {
  it('runs no queued item: hands them all back at once, and tells the running item to give up', async () => {
    const { queue, consumer, items, handBacks, logger, stop } = queueHarness({ shutdown: 'abandon' });
    items.hold('a');
    for (const id of ['a', 'b', 'c']) await queue.enqueue(items.item(id), { label: id });
    consumer.start();
    await settle();
    const stopping = track(stop());
    await settle();
    expect(handBacks).toEqual([{ reason: 'shutdown', items: ['b:false', 'c:false'] }]);
    expect(items.signals.get('a')?.aborted).toBe(true);
    expect(stopping.done).toBe(false); // the running item still gets the budget to finish
    items.release('a');
    await settle();
    expect(stopping.done).toBe(true);
    expect(items.started).toEqual(['a']);
    expect(queue.stats).toMatchObject({ accepted: 3, succeeded: 1, handedBack: 2, pending: 0, running: 0 });
    expect(logger.messages('log')).toEqual([report('default', 3, 1, 0, 2)]);
  });

  it('hands the running item back too when it outlives the deadline', async () => {
    const { queue, consumer, items, handBacks, deadline, stop } = queueHarness({ shutdown: 'abandon' });
    items.hold('a');
    for (const id of ['a', 'b']) await queue.enqueue(items.item(id), { label: id });
    consumer.start();
    await settle();
    const stopping = stop();
    await settle();
    deadline.abort(new Error('deadline'));
    await stopping;
    expect(handBacks).toEqual([
      { reason: 'shutdown', items: ['b:false'] },
      { reason: 'shutdown', items: ['a:true'] },
    ]);
    expect(balanced(queue)).toBe(true);
  });

  it('stops at once when the consumer is idle and the queue empty', async () => {
    const { queue, consumer, items, handBacks, stop } = queueHarness({ shutdown: 'abandon', concurrency: 3 });
    consumer.start();
    await settle();
    await stop();
    expect(handBacks).toEqual([]);
    expect(items.started).toEqual([]);
    expect(queue.stats.accepted).toBe(0);
  });
});

describe('handing back', () => {
  it('logs the handed-back items by label (warn) when there is no onUnprocessed', async () => {
    const { queue, consumer, items, logger, deadline, stop } = queueHarness({ onUnprocessed: undefined, name: 'mail' });
    items.hold('a');
    for (const id of ['a', 'b', 'c']) await queue.enqueue(items.item(id), { label: id });
    consumer.start();
    await settle();
    const stopping = stop();
    deadline.abort(new Error('deadline'));
    await stopping;
    expect(logger.messages('warn')).toEqual([
      'Queue "mail": 3 work item(s) not run (shutdown) and no onUnprocessed callback to take them: b, c, a',
    ]);
    expect(logger.messages('log')).toEqual([report('mail', 3, 0, 0, 3)]);
  });

  it.each([
    ['throws', () => { throw new Error('persist failed'); }], // prettier-ignore
    ['rejects', () => Promise.reject(new Error('persist failed'))],
  ])(
    'logs an onUnprocessed that %s, still counts the items as handed back, and the stop completes',
    async (_, onUnprocessed) => {
      const { queue, consumer, items, logger, deadline, stop } = queueHarness({ onUnprocessed });
      items.hold('a');
      for (const id of ['a', 'b']) await queue.enqueue(items.item(id), { label: id });
      consumer.start();
      await settle();
      const stopping = stop();
      deadline.abort(new Error('deadline'));
      await stopping;
      expect(logger.messages('error')).toEqual([
        'Queue "default": onUnprocessed threw for 2 item(s): Error: persist failed',
      ]);
      expect(logger.messages('log')).toEqual([report('default', 2, 0, 0, 2)]);
      expect(balanced(queue)).toBe(true);
    },
  );

  it("logs a throwing onUnprocessed for a 'dropped' item, and the enqueue that evicted it still succeeds", async () => {
    const onUnprocessed = (): void => {
      throw new Error('nope');
    };
    const { queue, items, logger } = queueHarness({ capacity: 1, fullMode: 'dropOldest', onUnprocessed });
    await queue.enqueue(items.item('a'), { label: 'a' });
    await expect(queue.enqueue(items.item('b'), { label: 'b' })).resolves.toBeUndefined();
    expect(queue.tryEnqueue(items.item('c'), { label: 'c' })).toBe(true);
    await settle();
    expect(logger.messages('error')).toEqual([
      'Queue "default": onUnprocessed threw for 1 item(s): Error: nope',
      'Queue "default": onUnprocessed threw for 1 item(s): Error: nope',
    ]);
    expect(queue.stats).toMatchObject({ accepted: 3, handedBack: 2, pending: 1 });
  });

  it('logs nothing at all with logger: false', async () => {
    const h = queueHarness({ onUnprocessed: undefined });
    const silent = new QueuedHostedService(h.queue, undefined, false);
    await h.queue.enqueue(() => Promise.reject(new Error('x')));
    silent.start();
    await settle();
    await silent.stop(h.deadline.signal);
    expect(h.queue.stats).toMatchObject({ accepted: 1, failed: 1 });
    expect(h.logger.entries).toEqual([]);
  });
});
