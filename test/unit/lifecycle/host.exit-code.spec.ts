import { describe, expect, it } from '@jest/globals';
import { ExitCode } from '../../../lib/hosting.constants';
import { CallLog } from '../../helpers/recorder';
import { deferred, flush } from '../../helpers/deferred';
import { failingWorker } from '../services/background-service.fixtures';
import { createHost, entry, never, recorded, track } from './host.fixtures';

describe('Host exit code', () => {
  it('is 0 after a clean start and stop', async () => {
    const calls = new CallLog();
    const { host } = createHost([recorded('a', calls)]);
    expect(host.exitCode).toBe(ExitCode.Clean);
    await host.start();
    await host.stop();
    expect(host.exitCode).toBe(0);
  });

  it('is the code asked for through stopApplication(code)', async () => {
    const calls = new CallLog();
    const { host, lifetime } = createHost([recorded('a', calls)], {}, { onStopRequest: 'stop' });
    await host.start();
    lifetime.stopApplication(3);
    await host.stop();
    expect(calls.of('stop')).toEqual(['a']);
    expect(host.exitCode).toBe(3);
  });

  it('is 1 after a background fault under stopHost', async () => {
    const failure = deferred();
    const { host } = createHost([entry('Worker', failingWorker(failure.promise))], {}, { onStopRequest: 'stop' });
    await host.start();
    await flush();
    failure.reject(new Error('boom'));
    await host.stop();
    expect(host.exitCode).toBe(ExitCode.Fault);
  });

  it('is 1 after a failed start', async () => {
    const calls = new CallLog();
    const { host } = createHost([recorded('a', calls, { start: () => Promise.reject(new Error('boom')) })]);
    await host.start().catch(() => undefined);
    expect(host.exitCode).toBe(1);
  });

  it('is 124 when the shutdown deadline abandoned a service', async () => {
    const calls = new CallLog();
    const { host, clock } = createHost([recorded('hung', calls, { stop: never })], { shutdownTimeout: 100 });
    await host.start();
    const stopped = track(host.stop());
    await clock.advance(100);
    await stopped.promise;
    expect(host.exitCode).toBe(ExitCode.DeadlineExceeded);
  });

  it('is 143 when a second SIGTERM forced the exit', async () => {
    const calls = new CallLog();
    const { host } = createHost([recorded('hung', calls, { stop: never })]);
    await host.start();
    const stopped = host.stop({ kind: 'signal', signal: 'SIGTERM' });
    await flush();
    host.abandon('SIGTERM');
    await stopped;
    expect(host.exitCode).toBe(143);
  });

  describe('when several apply (forced > fault > deadline > requested > clean)', () => {
    it('prefers the deadline over a requested code', async () => {
      const calls = new CallLog();
      const { host, clock, lifetime } = createHost(
        [recorded('hung', calls, { stop: never })],
        { shutdownTimeout: 100 },
        { onStopRequest: 'stop' },
      );
      await host.start();
      lifetime.stopApplication(3);
      await clock.advance(100);
      await host.stop();
      expect(host.exitCode).toBe(124);
    });

    it('prefers a fault over the deadline', async () => {
      const calls = new CallLog();
      const { host, clock } = createHost(
        [
          recorded('hung', calls, { stop: never }),
          recorded('bad', calls, { stop: () => Promise.reject(new Error('x')) }),
        ],
        { shutdownTimeout: 100 },
      );
      await host.start();
      const stopped = track(host.stop());
      await clock.advance(100);
      await stopped.promise.catch(() => undefined);
      expect(host.exitCode).toBe(1);
    });

    it('prefers a forced exit over a fault', async () => {
      const failure = deferred();
      const calls = new CallLog();
      const { host } = createHost(
        [recorded('hung', calls, { stop: never }), entry('Worker', failingWorker(failure.promise))],
        {},
        { onStopRequest: 'stop' },
      );
      await host.start();
      await flush();
      failure.reject(new Error('boom'));
      await flush();
      host.abandon('SIGTERM');
      await host.stop();
      expect(host.exitCode).toBe(143);
    });
  });
});
