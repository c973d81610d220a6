import { describe, expect, it } from '@jest/globals';

import { ForcedExitHooks } from '../../../lib/process/forced-exit';
import { flush } from '../../helpers/deferred';
import { useQueueApps } from './queue.e2e-fixtures';

/*
 * What users read: the host names each hosted service in its logs, and a queue's consumer is
 * registered under an internal token. Every line must name it `BackgroundTaskQueue(<name>)` (or,
 * for the queue's own lines, `Queue "<name>"`), never by that token.
 */

describe('queue names in the logs', () => {
  const apps = useQueueApps();

  it('names each consumer BackgroundTaskQueue(<name>) in the host’s lines, and never by its internal token', async () => {
    const { app, clock, logger, queue } = await apps.compile({
      queues: [{}, { name: 'emails', onUnprocessed: () => new Promise<void>(() => undefined) }],
      shutdownTimeout: 100,
    });
    await app.init();
    await queue('emails').enqueue(() => new Promise<void>(() => undefined), { label: 'stuck' });
    await queue().enqueue(() => Promise.reject(new Error('boom')), { label: 'bad' });
    await flush();
    // The emails queue overruns the deadline (its onUnprocessed never returns): the host's report names it.
    const closing = apps.close(app);
    await clock.advance(100);
    await closing;
    const all = logger.messages();
    expect(all.filter((m) => m.includes('HOSTING:QUEUE'))).toEqual([]);
    expect(logger.messages('debug')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^BackgroundTaskQueue\(default\): start in /),
        expect.stringMatching(/^BackgroundTaskQueue\(emails\): start in /),
      ]),
    );
    expect(logger.messages('error')).toEqual([
      'Queue "default": work item bad failed: Error: boom',
      expect.stringMatching(/abandoned 1 hosted service: BackgroundTaskQueue\(emails\) \(stop, running for 100ms\)$/),
    ]);
  });

  it('names the queue in its own lines: failures, hand-backs, a forced exit and the stop report', async () => {
    const { app, clock, logger, queue } = await apps.compile({
      queues: [{ name: 'emails', onUnprocessed: undefined }],
      shutdownTimeout: 100,
    });
    await app.init();
    await queue('emails').enqueue(() => Promise.reject(new Error('boom')), { label: 'bad' });
    await queue('emails').enqueue(() => new Promise<void>(() => undefined), { label: 'stuck' });
    await queue('emails').enqueue(() => undefined, { label: 'queued' });
    await flush();
    await app.get(ForcedExitHooks).run('SIGTERM');
    const closing = apps.close(app);
    await clock.advance(100);
    await closing;
    const lines = logger.messages().filter((m) => m.includes('emails'));
    expect(lines).toEqual([
      expect.stringMatching(/^BackgroundTaskQueue\(emails\): start/),
      'Queue "emails": work item bad failed: Error: boom',
      expect.stringMatching(
        /^Queue "emails": forced exit by SIGTERM: 2 work item\(s\) not completed .*: queued, stuck \(started\); /,
      ),
      'Queue "emails" stopped: accepted 3 = 0 succeeded + 1 failed + 2 handed back (2 forced)',
      expect.stringMatching(/^BackgroundTaskQueue\(emails\): stop in /),
    ]);
  });
});
