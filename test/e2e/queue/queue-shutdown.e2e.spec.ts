import { describe, expect, it, jest } from '@jest/globals';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';

import { BackgroundTaskQueue, Clock, HostApplicationLifetime, HostedService, QueueClosedError } from '../../../lib';
import { deferred, flush } from '../../helpers/deferred';
import { settled, track } from '../support/e2e';
import { report, useQueueApps } from './queue.e2e-fixtures';

/*
 * The queue at shutdown, through Nest: `app.close()` starts the host's stop, whose deadline is
 * driven by the FakeClock. A test holds items with deferreds or clock delays, calls `close()`
 * without awaiting it, and moves the clock. No sleeps.
 */

/** A hosted service that uses the queue: it starts after the queue's consumer and stops before it. */
@HostedService()
class Producer {
  readonly attempts: Array<{ enqueue: unknown; tryEnqueue: boolean; closed: boolean }> = [];
  constructor(readonly queue: BackgroundTaskQueue) {}
  start(): void {}
  async stop(): Promise<void> {
    const enqueue = (await settled(this.queue.enqueue(() => undefined, { label: 'from stop' }))) as { error?: unknown };
    this.attempts.push({
      enqueue: enqueue.error,
      tryEnqueue: this.queue.tryEnqueue(() => undefined),
      closed: this.queue.closed,
    });
  }
}

/** An item that takes `ms` of the (fake) clock and honours its signal. */
const timed =
  (clock: Clock, ms: number, log: string[], id: string): ((signal: AbortSignal) => Promise<void>) =>
  async (signal) => {
    log.push(`${id} start`);
    await clock.delay(ms, signal);
    log.push(`${id} end`);
  };

describe('the queue when the application stops', () => {
  const apps = useQueueApps();

  it('refuses new items as soon as stopping begins, before any hosted service stops', async () => {
    const { app, queue } = await apps.compile({ providers: [Producer] });
    await app.init();
    const lifetime = app.get(HostApplicationLifetime);
    const atStopping: boolean[] = [];
    lifetime.onStopping(
      () =>
        void atStopping.push(
          queue().closed,
          queue().tryEnqueue(() => undefined),
        ),
    );
    await apps.close(app);
    expect(atStopping).toEqual([true, false]);
    const [attempt] = app.get(Producer).attempts;
    expect(attempt.enqueue).toBeInstanceOf(QueueClosedError);
    expect(attempt.enqueue).toMatchObject({ code: 'HOSTING_QUEUE_CLOSED' });
    expect(attempt).toMatchObject({ tryEnqueue: false, closed: true });
    expect(queue().stats.accepted).toBe(0);
    await expect(queue().enqueue(() => undefined)).rejects.toBeInstanceOf(QueueClosedError);
  });

  it('rejects a writer waiting for room when stopping begins; its item is not counted, and the queued ones still drain', async () => {
    const { app, queue, handBacks, logger } = await apps.compile({ queues: [{ capacity: 1 }] });
    await app.init();
    const ran: string[] = [];
    const gate = deferred();
    await queue().enqueue(async () => {
      await gate.promise;
      ran.push('a');
    });
    await flush();
    await queue().enqueue(() => void ran.push('b')); // fills the queue while `a` runs
    const waiting = settled(queue().enqueue(() => void ran.push('c')));
    const closing = apps.close(app);
    const result = await waiting;
    expect(result).toMatchObject({ ok: false });
    expect((result as { error: unknown }).error).toBeInstanceOf(QueueClosedError);
    gate.resolve();
    await closing;
    expect(ran).toEqual(['a', 'b']);
    expect(handBacks.calls).toEqual([]);
    expect(logger.messages('log')).toContain(report('default', 2, 2, 0, 0));
  });

  it("'drain' (default): runs every queued item within the budget, and close() waits for them", async () => {
    const { app, queue, clock, handBacks, logger } = await apps.compile({ shutdownTimeout: 1_000 });
    await app.init();
    const log: string[] = [];
    for (const id of ['a', 'b', 'c']) await queue().enqueue(timed(clock, 300, log, id), { label: id });
    const closing = track(apps.close(app));
    await clock.advance(899);
    expect(closing.done).toBe(false);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start']);
    await clock.advance(1);
    await flush();
    expect(closing.done).toBe(true);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
    expect(handBacks.calls).toEqual([]);
    expect(logger.messages('log')).toContain(report('default', 3, 3, 0, 0));
    expect(logger.messages('error')).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("'drain': at the deadline hands back the queued items (started: false) and the running ones (started: true), and the stop completes on time", async () => {
    const { app, queue, clock, handBacks, logger } = await apps.compile({
      queues: [{ concurrency: 2 }],
      shutdownTimeout: 1_000,
    });
    await app.init();
    const log: string[] = [];
    const durations: Record<string, number> = { a: 400, b: 700, c: 500, d: 400, e: 100, f: 100 };
    for (const [id, ms] of Object.entries(durations)) await queue().enqueue(timed(clock, ms, log, id), { label: id });
    // a: 0-400, b: 0-700, c: 400-900, d: 700-1100, e: 900-1000, f: 1000-1100
    const closing = track(apps.close(app));
    await clock.advance(999);
    expect(closing.done).toBe(false);
    expect(handBacks.calls).toEqual([]);
    await clock.advance(1);
    await flush();
    expect(closing.done).toBe(true);
    expect(log.filter((l) => l.endsWith('end'))).toEqual(['a end', 'b end', 'c end']);
    // `e` ended at 1000 too, but the deadline fired first (it was due first): it is handed back, not counted twice.
    expect(handBacks.calls).toEqual(['default/shutdown: f:false, d:true, e:true']);
    expect(queue().stats).toMatchObject({ accepted: 6, succeeded: 3, failed: 0, handedBack: 3, pending: 0 });
    expect(logger.messages('log')).toContain(report('default', 6, 3, 0, 3));
    // The queue stopped because of the deadline and did not overrun it: no hosted service was abandoned.
    expect(logger.messages('error')).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("'drain': hands back an item that ignores its signal and never ends, and still stops", async () => {
    const { app, queue, clock, handBacks } = await apps.compile({ shutdownTimeout: 500 });
    await app.init();
    await queue().enqueue(() => new Promise<void>(() => undefined), { label: 'stuck' });
    await queue().enqueue(() => undefined, { label: 'next' });
    const closing = apps.close(app);
    await clock.advance(500);
    await closing;
    expect(handBacks.calls).toEqual(['default/shutdown: next:false, stuck:true']);
    expect(clock.pendingTimers).toBe(0);
  });

  it("'abandon': runs no queued item and hands them all back as soon as stopping begins; the running one is told to give up", async () => {
    const { app, queue, clock, handBacks, logger } = await apps.compile({
      queues: [{ shutdown: 'abandon' }],
      shutdownTimeout: 1_000,
    });
    await app.init();
    const log: string[] = [];
    const signals: AbortSignal[] = [];
    await queue().enqueue(
      async (signal) => {
        signals.push(signal);
        await timed(clock, 600, log, 'a')(signal).catch(() => log.push('a gave up'));
      },
      { label: 'a' },
    );
    for (const id of ['b', 'c']) await queue().enqueue(timed(clock, 10, log, id), { label: id });
    await flush();
    const closing = track(apps.close(app));
    await flush();
    expect(handBacks.calls).toEqual(['default/shutdown: b:false, c:false']);
    expect(signals[0].aborted).toBe(true);
    await clock.advance(0);
    await flush();
    expect(closing.done).toBe(true);
    expect(log).toEqual(['a start', 'a gave up']);
    expect(logger.messages('log')).toContain(report('default', 3, 1, 0, 2)); // `a` returned: it counts as processed
    expect(clock.pendingTimers).toBe(0);
  });

  it('logs the handed-back items by label (warn) without onUnprocessed', async () => {
    const { app, queue, clock, logger } = await apps.compile({
      queues: [{ name: 'mail', onUnprocessed: undefined }],
      shutdownTimeout: 100,
    });
    await app.init();
    await queue('mail').enqueue(() => new Promise<void>(() => undefined), { label: 'mail 1' });
    await queue('mail').enqueue(() => undefined, { label: 'mail 2' });
    const closing = apps.close(app);
    await clock.advance(100);
    await closing;
    expect(logger.messages('warn')).toEqual([
      'Queue "mail": 2 work item(s) not run (shutdown) and no onUnprocessed callback to take them: mail 2, mail 1',
    ]);
    expect(logger.messages('log')).toContain(report('mail', 2, 0, 0, 2));
  });

  it('logs an onUnprocessed that throws, and the stop still completes', async () => {
    const onUnprocessed = (): Promise<void> => Promise.reject(new Error('store down'));
    const { app, queue, clock, logger } = await apps.compile({ queues: [{ onUnprocessed }], shutdownTimeout: 100 });
    await app.init();
    await queue().enqueue(() => new Promise<void>(() => undefined), { label: 'x' });
    const closing = apps.close(app);
    await clock.advance(100);
    await closing;
    expect(logger.messages('error')).toEqual(['Queue "default": onUnprocessed threw for 1 item(s): Error: store down']);
    expect(logger.messages('log')).toContain(report('default', 1, 0, 0, 1));
    expect(clock.pendingTimers).toBe(0);
  });

  it('logs the report line even for an idle queue', async () => {
    const idle = await apps.compile();
    await idle.app.init();
    await apps.close(idle.app);
    expect(idle.logger.messages('log')).toContain(report('default', 0, 0, 0, 0));
  });

  it("uses the host's logger: logger: false silences the queue too (nothing reaches Nest's default Logger)", async () => {
    const spies = (['log', 'warn', 'error'] as const).map((level) => jest.spyOn(Logger.prototype, level));
    try {
      const { app, queue, clock } = await apps.compile({
        queues: [{ onUnprocessed: undefined, capacity: 1, fullMode: 'dropOldest' }],
        shutdownTimeout: 100,
        logger: false,
      });
      await app.init();
      await queue().enqueue(() => Promise.reject(new Error('fails')), { label: 'fails' });
      await flush();
      await queue().enqueue(() => new Promise<void>(() => undefined), { label: 'stuck' });
      await flush();
      await queue().enqueue(() => undefined, { label: 'dropped' });
      await queue().enqueue(() => undefined, { label: 'left' });
      const closing = apps.close(app);
      await clock.advance(100);
      await closing;
      expect(queue().stats).toMatchObject({ accepted: 4, failed: 1, handedBack: 3 });
      const queueLines = spies
        .flatMap((spy) => spy.mock.calls.map((call) => String(call[0])))
        .filter((m) => m.startsWith('Queue "'));
      expect(queueLines).toEqual([]);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});

/** Enqueues while the application bootstraps, before any hosted service (the queue's consumer) starts. */
@Injectable()
class Seeder implements OnApplicationBootstrap {
  constructor(readonly queue: BackgroundTaskQueue) {}
  async onApplicationBootstrap(): Promise<void> {
    await this.queue.enqueue(() => undefined, { label: 'seed 1' });
    await this.queue.enqueue(() => undefined, { label: 'seed 2' });
  }
}

/** Starts before the queue's consumer, and fails: the consumer never starts. */
@HostedService({ order: -1 })
class FailsToStart {
  start(): void {
    throw new Error('cannot start');
  }
  stop(): void {}
}

describe('the queue when the application fails to start', () => {
  const apps = useQueueApps();

  it('hands back the items accepted before its consumer could start, and logs the report', async () => {
    const { app, queue, handBacks, logger } = await apps.compile({ providers: [Seeder, FailsToStart] });
    const init = await settled(app.init());
    expect(init).toMatchObject({ ok: false, error: { message: 'cannot start' } });
    await settled(apps.close(app));
    expect(handBacks.calls).toEqual(['default/shutdown: seed 1:false, seed 2:false']);
    expect(queue().stats).toMatchObject({ accepted: 2, succeeded: 0, handedBack: 2, pending: 0 });
    expect(logger.messages('log')).toContain(report('default', 2, 0, 0, 2));
    expect(logger.messages('log').filter((m) => m.startsWith('Queue'))).toHaveLength(1);
  });

  it('drains them as usual when the consumer had started before a later service failed (the start is rolled back)', async () => {
    @HostedService({ order: 1 })
    class FailsLater extends FailsToStart {}
    const { app, queue, handBacks, logger } = await apps.compile({ providers: [Seeder, FailsLater] });
    await settled(app.init());
    await settled(apps.close(app));
    expect(handBacks.calls).toEqual([]);
    expect(queue().stats).toMatchObject({ accepted: 2, succeeded: 2 });
    expect(logger.messages('log').filter((m) => m.startsWith('Queue'))).toEqual([report('default', 2, 2, 0, 0)]);
  });
});
