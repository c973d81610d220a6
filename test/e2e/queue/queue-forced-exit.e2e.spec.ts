import { describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { TestingModule } from '@nestjs/testing';

import { Clock, WorkItem } from '../../../lib';
import { HostedServicesOrchestrator } from '../../../lib/nest/hosted-services.orchestrator';
import { ForcedExitHooks } from '../../../lib/process/forced-exit';
import { deferred, flush } from '../../helpers/deferred';
import { track } from '../support/e2e';
import { report, useQueueApps } from './queue.e2e-fixtures';

/*
 * A second signal during a stop, through Nest: the process lifetime abandons the host (its stop
 * signal aborts at once), then runs the forced-exit hooks and exits when they are done or their
 * budget is spent. `forceExit()` does the first two, as it does; the exit itself is left out.
 */

function forceExit(app: TestingModule, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  app.get(HostedServicesOrchestrator).host?.abandon(signal);
  return app.get(ForcedExitHooks).run(signal);
}

/** An item that takes `ms` of the (fake) clock, honours its signal, and records how it ended. */
const timed =
  (clock: Clock, ms: number, ended: string[], id: string): WorkItem =>
  async (signal) => {
    await clock.delay(ms, signal);
    ended.push(id);
  };

describe('a forced exit (a second signal)', () => {
  const apps = useQueueApps();

  it('during a drain: every accepted item is processed or handed back as forced, each exactly once', async () => {
    const { app, clock, queue, handBacks, logger } = await apps.compile({
      queues: [{ concurrency: 2 }],
      shutdownTimeout: 10_000,
    });
    await app.init();
    const ended: string[] = [];
    const accepted = Array.from({ length: 10 }, (_, n) => `i${n}`);
    for (const id of accepted) await queue().enqueue(timed(clock, 300, ended, id), { label: id });
    const closing = track(apps.close(app)); // the first signal: the drain begins
    await clock.advance(450); // i0, i1 done; i2, i3 running
    expect(ended).toEqual(['i0', 'i1']);
    await forceExit(app);
    expect(handBacks.calls).toEqual([
      'default/forced: i4:false, i5:false, i6:false, i7:false, i8:false, i9:false, i2:true, i3:true',
    ]);
    const back = handBacks.items.map((i) => i.label);
    expect([...ended, ...back].sort()).toEqual([...accepted].sort());
    expect(queue().stats).toEqual({
      accepted: 10,
      succeeded: 2,
      failed: 0,
      handedBack: 8,
      forced: 8,
      pending: 0,
      running: 0,
    });
    expect(logger.messages('error')).toContainEqual(
      'Queue "default": forced exit by SIGTERM: 8 work item(s) not completed handed to onUnprocessed (\'forced\'): i4, i5, i6, i7, i8, i9, i2 (started), i3 (started); accepted 10 = 2 succeeded + 0 failed + 8 handed back (8 forced)',
    );
    await flush();
    expect(closing.done).toBe(true); // the abandoned stop settles promptly, having nothing left to hand back
    expect(logger.messages('log')).toContain(`${report('default', 10, 2, 0, 8)} (8 forced)`);
    expect(clock.pendingTimers).toBe(0);
  });

  it('while running, without a stop: hands back what is queued and running', async () => {
    const { app, clock, queue, handBacks } = await apps.compile({ queues: [{}, { name: 'emails' }] });
    await app.init();
    const ended: string[] = [];
    await queue().enqueue(timed(clock, 100, ended, 'a'), { label: 'a' });
    await queue('emails').enqueue(timed(clock, 100, ended, 'm1'), { label: 'm1' });
    await queue('emails').enqueue(timed(clock, 100, ended, 'm2'), { label: 'm2' });
    await flush();
    await app.get(ForcedExitHooks).run('SIGINT');
    expect(handBacks.calls.sort()).toEqual(['default/forced: a:true', 'emails/forced: m2:false, m1:true']);
    await clock.advance(100);
    expect(ended).toEqual([]); // told to give up, they did
  });

  it('after the deadline handed items back: hands nothing back again, and waits for that hand-back within its budget', async () => {
    const gate = deferred();
    const calls: string[] = [];
    const onUnprocessed = (items: Array<{ label: string }>, reason: string): Promise<void> => {
      calls.push(`${reason}: ${items.map((i) => i.label).join(', ')}`);
      return gate.promise;
    };
    const { app, clock, queue, logger } = await apps.compile({ queues: [{ onUnprocessed }], shutdownTimeout: 100 });
    await app.init();
    await queue().enqueue(() => new Promise<void>(() => undefined), { label: 'stuck' });
    await queue().enqueue(() => undefined, { label: 'next' });
    const closing = track(apps.close(app));
    await clock.advance(100); // the deadline: both handed back, and onUnprocessed is slow
    expect(calls).toEqual(['shutdown: next, stuck']);
    const forcing = track(forceExit(app));
    await flush();
    expect(forcing.done).toBe(false);
    expect(calls).toEqual(['shutdown: next, stuck']);
    expect(logger.messages('error')).toContainEqual(
      expect.stringContaining(
        'no work item left to hand back; accepted 2 = 0 succeeded + 0 failed + 2 handed back; waiting for 1 earlier hand-back(s)',
      ),
    );
    gate.resolve();
    await flush();
    expect(forcing.done).toBe(true);
    expect(closing.done).toBe(true);
  });
});

describe('a forced exit with logger: false', () => {
  const apps = useQueueApps();

  it("writes nothing, not even its error line (nothing reaches Nest's default Logger)", async () => {
    const spies = (['log', 'warn', 'error'] as const).map((level) => jest.spyOn(Logger.prototype, level));
    try {
      const { app, queue, handBacks } = await apps.compile({ logger: false });
      await app.init();
      await queue().enqueue(() => new Promise<void>(() => undefined), { label: 'stuck' });
      await flush();
      await forceExit(app);
      expect(handBacks.calls).toEqual(['default/forced: stuck:true']);
      const queueLines = spies
        .flatMap((spy) => spy.mock.calls.map((call) => String(call[0])))
        .filter((m) => m.startsWith('Queue "'));
      expect(queueLines).toEqual([]);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});

describe("shutdown 'abandon' through Nest", () => {
  const apps = useQueueApps();

  it('hands back the running item that gives up (started: true), not failed, and close() resolves only once onUnprocessed has', async () => {
    const gate = deferred();
    const calls: string[] = [];
    const onUnprocessed = (items: Array<{ label: string; started: boolean }>): Promise<void> => {
      calls.push(items.map((i) => `${i.label}:${i.started}`).join(', '));
      return items.some((i) => i.started) ? gate.promise : Promise.resolve();
    };
    const { app, clock, queue, logger } = await apps.compile({
      queues: [{ shutdown: 'abandon', onUnprocessed }],
      shutdownTimeout: 1_000,
    });
    await app.init();
    await queue().enqueue((signal) => clock.delay(600, signal), { label: 'a' });
    await queue().enqueue(() => undefined, { label: 'b' });
    await flush();
    const closing = track(apps.close(app));
    await flush();
    expect(calls).toEqual(['b:false', 'a:true']);
    expect(closing.done).toBe(false); // the hand-back is still under way
    gate.resolve();
    await flush();
    expect(closing.done).toBe(true);
    expect(queue().stats).toMatchObject({ accepted: 2, succeeded: 0, failed: 0, handedBack: 2, running: 0 });
    expect(logger.messages('error')).toEqual([]);
    expect(logger.messages('log')).toContain(report('default', 2, 0, 0, 2));
    expect(clock.pendingTimers).toBe(0);
  });
});
