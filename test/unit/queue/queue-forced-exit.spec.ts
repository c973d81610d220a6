import { describe, expect, it } from '@jest/globals';

import { QueueClosedError, UnprocessedWorkItem, WorkItem } from '../../../lib';
import { FORCED_HANDBACK_MS } from '../../../lib/process/forced-exit';
import { deferred } from '../../helpers/deferred';
import { balanced, balancedNow, queueHarness, settle, track } from './queue.fixtures';

/*
 * A second signal forces the exit: the process lifetime aborts everything, then runs the
 * forced-exit hooks (`force()` here) and exits once they are done or their budget has run out.
 * The queue's part: hand every accepted item that has not completed to `onUnprocessed` with
 * reason 'forced', after naming them in one error line.
 */

const deaf: WorkItem = () => new Promise<void>(() => undefined);

describe('a forced exit', () => {
  it('hands every accepted item not completed to onUnprocessed as forced: queued (started: false), then running (started: true)', async () => {
    const { queue, consumer, items, handBacks, force, stop } = queueHarness({ concurrency: 2 });
    items.hold('r1', 'r2', 'q1', 'q2');
    await queue.enqueue(items.item('done'), { label: 'done' });
    for (const id of ['r1', 'r2', 'q1', 'q2']) await queue.enqueue(items.item(id), { label: id });
    consumer.start();
    await settle();
    expect(items.running).toEqual(['r1', 'r2']);
    void stop(); // the first signal: draining
    await force();
    expect(handBacks).toEqual([{ reason: 'forced', items: ['q1:false', 'q2:false', 'r1:true', 'r2:true'] }]);
    expect(queue.stats).toEqual({
      accepted: 5,
      succeeded: 1,
      failed: 0,
      handedBack: 4,
      forced: 4,
      pending: 0,
      running: 0,
    });
    expect(items.signals.get('r1')?.aborted).toBe(true); // what still runs is told to give up
    expect(balanced(queue)).toBe(true);
  });

  it('logs one error line before calling onUnprocessed, naming the items (#n without a label) and the balance', async () => {
    const seen: number[] = [];
    const h = queueHarness({
      name: 'mail',
      onUnprocessed: () => void seen.push(h.logger.messages('error').length),
    });
    const { queue, consumer, items, logger, force } = h;
    items.hold('r1');
    await queue.enqueue(() => undefined, { label: 'ok' });
    await queue.enqueue(() => Promise.reject(new Error('boom')), { label: 'bad' });
    await queue.enqueue(items.item('r1'), { label: 'r1' });
    await queue.enqueue(() => undefined, { label: 'q1' });
    await queue.enqueue(() => undefined);
    consumer.start();
    await settle();
    await force('SIGINT');
    expect(seen).toEqual([2]); // the item failure, then the forced-exit line, both before the call
    expect(logger.messages('error')).toEqual([
      'Queue "mail": work item bad failed: Error: boom',
      `Queue "mail": forced exit by SIGINT: 3 work item(s) not completed handed to onUnprocessed ('forced'): q1, #5, r1 (started); ` +
        'accepted 5 = 1 succeeded + 1 failed + 3 handed back (3 forced)',
    ]);
  });

  it('logs the line even without onUnprocessed, and nothing else for those items', async () => {
    const { queue, consumer, logger, force } = queueHarness({ onUnprocessed: undefined });
    await queue.enqueue(deaf, { label: 'stuck' });
    await queue.enqueue(() => undefined, { label: 'next' });
    consumer.start();
    await settle();
    await force();
    expect(logger.messages('error')).toEqual([
      'Queue "default": forced exit by SIGTERM: 2 work item(s) not completed and no onUnprocessed callback to take them: next, stuck (started); ' +
        'accepted 2 = 0 succeeded + 0 failed + 2 handed back (2 forced)',
    ]);
    expect(logger.messages('warn')).toEqual([]);
  });

  it('logs the balance when nothing is left to hand back', async () => {
    const { queue, consumer, logger, force } = queueHarness();
    await queue.enqueue(() => undefined);
    consumer.start();
    await settle();
    await force();
    expect(logger.messages('error')).toEqual([
      'Queue "default": forced exit by SIGTERM: no work item left to hand back; accepted 1 = 1 succeeded + 0 failed + 0 handed back',
    ]);
  });

  it('closes the queue', async () => {
    const { queue, consumer, force } = queueHarness();
    consumer.start();
    await force();
    expect(queue.closed).toBe(true);
    await expect(queue.enqueue(() => undefined)).rejects.toBeInstanceOf(QueueClosedError);
  });

  it('hands back the items accepted before the consumer started', async () => {
    const { queue, handBacks, force } = queueHarness();
    await queue.enqueue(() => undefined, { label: 'seed' });
    await force();
    expect(handBacks).toEqual([{ reason: 'forced', items: ['seed:false'] }]);
  });
});

describe('a forced exit: each item handed back exactly once', () => {
  it('does not hand back again what the deadline handed back, and waits for that hand-back still under way', async () => {
    const gate = deferred();
    const calls: string[] = [];
    const onUnprocessed = (items: UnprocessedWorkItem[], reason: string): Promise<void> => {
      calls.push(`${reason}: ${items.map((i) => i.label).join(', ')}`);
      return reason === 'shutdown' ? gate.promise : Promise.resolve();
    };
    const { queue, consumer, logger, deadline, stop, force } = queueHarness({ onUnprocessed });
    await queue.enqueue(deaf, { label: 'stuck' });
    await queue.enqueue(() => undefined, { label: 'next' });
    consumer.start();
    await settle();
    const stopping = track(stop());
    deadline.abort(new Error('deadline'));
    await settle();
    expect(calls).toEqual(['shutdown: next, stuck']);
    const forcing = track(force());
    await settle();
    expect(forcing.done).toBe(false); // the earlier hand-back is still under way
    expect(calls).toEqual(['shutdown: next, stuck']);
    expect(logger.messages('error')).toEqual([
      'Queue "default": forced exit by SIGTERM: no work item left to hand back; accepted 2 = 0 succeeded + 0 failed + 2 handed back; waiting for 1 earlier hand-back(s) still under way',
    ]);
    gate.resolve();
    await settle();
    expect(forcing.done).toBe(true);
    expect(stopping.done).toBe(true);
    expect(queue.stats).toMatchObject({ accepted: 2, handedBack: 2, forced: 0 });
  });

  it('is not undone by the deadline that the process lifetime aborts just before: the deadline finds nothing left', async () => {
    const { queue, consumer, items, handBacks, deadline, stop, force } = queueHarness();
    items.hold('a');
    for (const id of ['a', 'b']) await queue.enqueue(items.item(id), { label: id });
    consumer.start();
    await settle();
    const stopping = stop();
    await settle();
    deadline.abort(new Error('forced')); // what the host's abandon() does, in the same tick as the hooks
    await force();
    await stopping;
    expect(handBacks).toEqual([{ reason: 'forced', items: ['b:false', 'a:true'] }]);
    expect(queue.stats).toMatchObject({ accepted: 2, handedBack: 2, forced: 2, running: 0 });
  });

  it("takes a running item that 'abandon' told to give up, once: its later giving up hands nothing back", async () => {
    const { queue, consumer, items, handBacks, logger, stop, force } = queueHarness({ shutdown: 'abandon' });
    items.hold('a');
    await queue.enqueue(items.item('a'), { label: 'a' });
    await queue.enqueue(() => undefined, { label: 'b' });
    consumer.start();
    await settle();
    const stopping = stop();
    await settle();
    await force();
    items.fail('a', items.signals.get('a')?.reason); // it gives up on its signal, too late
    await stopping;
    expect(handBacks).toEqual([
      { reason: 'shutdown', items: ['b:false'] },
      { reason: 'forced', items: ['a:true'] },
    ]);
    expect(queue.stats).toMatchObject({ accepted: 2, succeeded: 0, failed: 0, handedBack: 2, forced: 1, running: 0 });
    expect(logger.messages('log')).toEqual([
      'Queue "default" stopped: accepted 2 = 0 succeeded + 0 failed + 2 handed back (1 forced)',
    ]);
  });

  it('counts nothing more when a forced item finishes later, whether it succeeds or fails', async () => {
    const { queue, consumer, items, logger, force } = queueHarness({ concurrency: 2 });
    items.hold('ok', 'bad');
    await queue.enqueue(items.item('ok'), { label: 'ok' });
    await queue.enqueue(items.item('bad'), { label: 'bad' });
    consumer.start();
    await settle();
    await force();
    const after = queue.stats;
    items.release('ok');
    items.fail('bad', new Error('late failure'));
    await settle();
    expect(queue.stats).toEqual(after);
    expect(after).toMatchObject({ accepted: 2, succeeded: 0, failed: 0, handedBack: 2, forced: 2, running: 0 });
    expect(logger.messages('error')).toHaveLength(1); // the forced-exit line; the late failure is not one
    expect(balancedNow(queue)).toBe(true);
  });
});

describe('a forced exit: time', () => {
  it('gives onUnprocessed until the budget runs out, and no longer', async () => {
    const { queue, consumer, clock, force } = queueHarness({ onUnprocessed: () => new Promise<void>(() => undefined) });
    await queue.enqueue(deaf, { label: 'stuck' });
    consumer.start();
    await settle();
    const forcing = track(force());
    await clock.advance(FORCED_HANDBACK_MS - 1);
    expect(forcing.done).toBe(false);
    await clock.advance(1);
    await settle();
    expect(forcing.done).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it('returns as soon as onUnprocessed has completed', async () => {
    const gate = deferred();
    const { queue, consumer, clock, force } = queueHarness({ onUnprocessed: () => gate.promise });
    await queue.enqueue(deaf, { label: 'stuck' });
    consumer.start();
    await settle();
    const forcing = track(force());
    await settle();
    expect(forcing.done).toBe(false);
    gate.resolve();
    await settle();
    expect(forcing.done).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it('no longer takes part once the consumer has fully stopped', async () => {
    const { queue, consumer, logger, handBacks, stop, force } = queueHarness();
    await queue.enqueue(() => undefined, { label: 'a' });
    consumer.start();
    await stop();
    await force();
    expect(handBacks).toEqual([]);
    expect(logger.messages('error')).toEqual([]);
  });
});
