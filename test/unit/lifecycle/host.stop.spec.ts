import { describe, expect, it } from '@jest/globals';
import { HostedServicesError } from '../../../lib/errors/hosted-services.error';
import { isHostingError } from '../../../lib/errors/hosting-error';
import { InvalidHostStateError } from '../../../lib/errors/invalid-host-state.error';
import { CallLog } from '../../helpers/recorder';
import { deferred, flush } from '../../helpers/deferred';
import { createHost, never, recorded, recordLifetime, track } from './host.fixtures';

type StopPhase = 'stopping' | 'stop' | 'stopped';

const reject = (error: Error, async: boolean) =>
  async
    ? () => Promise.reject(error)
    : () => {
        throw error;
      };

describe('Host stop', () => {
  // .NET LifecycleTests.StopPhasesException(throwAfterAsyncCall), plus B35: stop never aborts.
  it.each([false, true])(
    'gathers all stop errors in phase order and still calls every hook (async throw: %s)',
    async (async) => {
      const calls = new CallLog();
      const [onStopping, onStop, onStopped] = [
        new Error('ThrowOnStopping'),
        new Error('ThrowOnStop'),
        new Error('ThrowOnStopped'),
      ];
      const { host } = createHost([
        recorded('a', calls),
        recorded('b', calls, {
          stopping: reject(onStopping, async),
          stop: reject(onStop, async),
          stopped: reject(onStopped, async),
        }),
      ]);
      await host.start();

      const stopped = track(host.stop());
      await stopped.promise.catch(() => undefined);

      expect(calls.calls.filter((c) => c.startsWith('a:') || c.startsWith('b:')).slice(-6)).toEqual([
        'b:stopping',
        'a:stopping',
        'b:stop',
        'a:stop',
        'b:stopped',
        'a:stopped',
      ]);
      const error = stopped.error as HostedServicesError;
      expect(error).toBeInstanceOf(HostedServicesError);
      expect(error.code).toBe('HOSTING_STOP_FAILED');
      expect(isHostingError(error, 'HOSTING_STOP_FAILED')).toBe(true);
      expect(error.errors).toEqual([onStopping, onStop, onStopped]);
      expect(host.state).toBe('stopped');
      expect(host.exitCode).toBe(1);
    },
  );

  it('rethrows a single stop error as the same object, after stopping every other service', async () => {
    const calls = new CallLog();
    const boom = new Error('b cannot stop');
    const { host, lifetime } = createHost([
      recorded('a', calls),
      recorded('b', calls, { stop: reject(boom, true) }),
      recorded('c', calls),
    ]);
    await host.start();

    await expect(host.stop()).rejects.toBe(boom);
    expect(calls.of('stop')).toEqual(['c', 'b', 'a']);
    expect(lifetime.hasFired('stopped')).toBe(true);
  });

  it('gathers the errors of a concurrent stop too, calling every service', async () => {
    const calls = new CallLog();
    const [ea, eb] = [new Error('a'), new Error('b')];
    const { host } = createHost(
      [
        recorded('a', calls, { stop: reject(ea, false) }),
        recorded('b', calls, { stop: reject(eb, false) }),
        recorded('c', calls),
      ],
      {
        servicesStopConcurrently: true,
      },
    );
    await host.start();

    const stopped = track(host.stop());
    await stopped.promise.catch(() => undefined);
    expect(calls.of('stop')).toEqual(['c', 'b', 'a']);
    expect((stopped.error as HostedServicesError).errors).toEqual([eb, ea]);
  });

  it('is idempotent: every call gets the same promise and the hooks run once', async () => {
    const calls = new CallLog();
    const slow = deferred();
    const { host, lifetime } = createHost([recorded('a', calls, { stop: () => slow.promise })]);
    let stoppingEvents = 0;
    lifetime.onStopping(() => stoppingEvents++);
    await host.start();

    const first = host.stop();
    await flush();
    const second = host.stop({ kind: 'signal', signal: 'SIGTERM' });
    expect(second).toBe(first);
    slow.resolve();
    await first;
    expect(host.stop()).toBe(first);
    await host.stop();

    expect(calls.of('stop')).toEqual(['a']);
    expect(calls.of('stopped')).toEqual(['a']);
    expect(stoppingEvents).toBe(1);
  });

  // .NET Internal/HostTests.HostCanBeStoppedWhenNotStarted / HostedServiceStartNotCalledIfHostNotStarted (B36).
  it('fires stopping then stopped and calls no service when stopped before start', async () => {
    const calls = new CallLog();
    const { host, lifetime } = createHost([recorded('a', calls)]);
    recordLifetime(lifetime, calls);

    await host.stop();
    expect(calls.calls).toEqual(['lifetime=stopping', 'lifetime=stopped']);
    expect(lifetime.stoppingSignal.aborted).toBe(true);
    expect(host.state).toBe('stopped');
    expect(host.exitCode).toBe(0);
    await expect(host.start()).rejects.toBeInstanceOf(InvalidHostStateError);
    expect(calls.calls).toEqual(['lifetime=stopping', 'lifetime=stopped']);
  });

  it('logs each stop step with its service name and duration, at debug', async () => {
    const calls = new CallLog();
    const { host, clock, logger } = createHost([recorded('Mailer', calls, { stop: () => clock.delay(250) })]);
    await host.start();
    const stopped = track(host.stop());
    await clock.advance(250);
    await stopped.promise;
    expect(logger.messages('debug')).toContain('Mailer: stop in 250ms');
    expect(logger.messages('log').some((m) => m.startsWith('Stopped hosted services in 250ms'))).toBe(true);
  });
});

describe('Host shutdown deadline', () => {
  // fx "calls stop with an aborted signal after shutdownTimeout"; .NET StopTimeoutClass_WithValue,
  // where the host would wait forever for a hook ignoring its token (B43). Ours stops waiting.
  it.each([true, false])(
    'stops waiting at shutdownTimeout, still stops the rest with an aborted signal, and reports the hung service (lifecycle hooks: %s)',
    async (hooks) => {
      const calls = new CallLog();
      const { host, clock, logger } = createHost(
        [recorded('a', calls, {}, hooks), recorded('hung', calls, { stop: never }, hooks)],
        { shutdownTimeout: 5_000 },
      );
      await host.start();

      const stopped = track(host.stop());
      await clock.advance(4_999);
      expect(stopped.settled).toBe(false);
      expect(calls.of('stop')).toEqual(['hung']);
      expect(calls.signals.get('hung:stop')?.aborted).toBe(false);

      await clock.advance(1);
      expect(stopped.settled).toBe(true);
      expect(stopped.error).toBeUndefined(); // the deadline is not an error of its own (B44)
      expect(calls.signals.get('hung:stop')?.aborted).toBe(true);
      expect(calls.of('stop')).toEqual(['hung', 'a']);
      expect(calls.signals.get('a:stop')?.aborted).toBe(true);
      if (hooks) expect(calls.of('stopped')).toEqual(['hung', 'a']);

      const reports = logger.messages('error').filter((m) => m.includes('abandoned'));
      expect(reports).toHaveLength(1);
      expect(reports[0]).toContain('5.00s');
      expect(reports[0]).toContain('hung (stop, running for 5.00s)');
      expect(reports[0]).not.toContain('a (');
      expect(host.exitCode).toBe(124);
    },
  );

  it.each<StopPhase>(['stopping', 'stop', 'stopped'])(
    'bounds a hook hung in %s by the same deadline',
    async (phase) => {
      const calls = new CallLog();
      const { host, clock, logger } = createHost([recorded('hung', calls, { [phase]: never })], {
        shutdownTimeout: 1_000,
      });
      await host.start();

      const stopped = track(host.stop());
      await clock.advance(1_000);
      expect(stopped.settled).toBe(true);
      expect(calls.calls.slice(-3)).toEqual(['hung:stopping', 'hung:stop', 'hung:stopped']);
      expect(logger.messages('error').filter((m) => m.includes(`hung (${phase}, running for 1.00s)`))).toHaveLength(1);
      expect(host.exitCode).toBe(124);
    },
  );

  // .NET StopTimeoutClass_WithValue_Concurrently.
  it('bounds a concurrent stop by the deadline', async () => {
    const calls = new CallLog();
    const { host, clock } = createHost([recorded('a', calls), recorded('hung', calls, { stop: never })], {
      shutdownTimeout: 1_000,
      servicesStopConcurrently: true,
    });
    await host.start();
    const stopped = track(host.stop());
    await clock.advance(1_000);
    expect(stopped.settled).toBe(true);
    expect(calls.of('stopped')).toEqual(['hung', 'a']);
    expect(host.exitCode).toBe(124);
  });

  // .NET LifecycleTests.StopTimeoutClass_WithValue: a hook that honours its token surfaces the
  // cancellation from StopAsync (B44). Here: the aborted signal's reason, and nothing is abandoned.
  // Unlike .NET (B44, where the TaskCanceledException surfaces from StopAsync): giving up because the
  // deadline aborted the signal is what the deadline asked for, so it is an abandonment, not a failure.
  it('treats a stop that gives up on its aborted signal as abandoned at the deadline, not as a failure', async () => {
    const calls = new CallLog();
    const honours = (signal: AbortSignal) =>
      new Promise<void>((_, fail) => signal.addEventListener('abort', () => fail(signal.reason as Error)));
    const { host, clock, logger } = createHost([recorded('a', calls, { stop: honours })], { shutdownTimeout: 100 });
    await host.start();

    const stopped = track(host.stop());
    await clock.advance(100);
    await stopped.promise;
    expect(stopped.error).toBeUndefined();
    expect(logger.messages('error').filter((m) => m.includes('failed'))).toEqual([]);
    expect(logger.messages('error').filter((m) => m.includes('abandoned'))).toEqual([
      expect.stringMatching(/abandoned 1 hosted service: a \(stop gave up at the deadline, running for 100ms\)/),
    ]);
    expect(host.exitCode).toBe(124);
  });

  // B42: one budget for the whole stop, not one per service.
  it('is one budget for the whole stop, not one per service', async () => {
    const calls = new CallLog();
    const { host, clock } = createHost(
      [recorded('hung', calls, { stop: never }), recorded('slow', calls, { stop: () => clock.delay(3_000) })],
      { shutdownTimeout: 5_000 },
    );
    await host.start();

    const stopped = track(host.stop());
    await clock.advance(3_000);
    expect(calls.of('stop')).toEqual(['slow', 'hung']);
    await clock.advance(1_999);
    expect(stopped.settled).toBe(false);
    await clock.advance(1);
    expect(stopped.settled).toBe(true);
  });

  it('does not report or set the deadline exit code when everything stops in time', async () => {
    const calls = new CallLog();
    const { host, clock, logger } = createHost([recorded('a', calls, { stop: () => clock.delay(999) })], {
      shutdownTimeout: 1_000,
    });
    await host.start();
    const stopped = track(host.stop());
    await clock.advance(999);
    await stopped.promise;
    expect(calls.signals.get('a:stop')?.aborted).toBe(false);
    expect(logger.messages('error')).toEqual([]);
    expect(host.exitCode).toBe(0);
  });
});

describe('Host abandon (a second signal)', () => {
  it('makes a hung stop settle at once, logs what was abandoned once, and sets 128 + signal', async () => {
    const calls = new CallLog();
    const { host, clock, logger } = createHost([recorded('a', calls), recorded('hung', calls, { stop: never })], {
      shutdownTimeout: 30_000,
    });
    await host.start();

    const stopped = track(host.stop({ kind: 'signal', signal: 'SIGTERM' }));
    await clock.advance(2_000);
    expect(stopped.settled).toBe(false);

    host.abandon('SIGTERM');
    await flush();
    expect(stopped.settled).toBe(true);
    expect(calls.signals.get('hung:stop')?.aborted).toBe(true);
    expect(calls.of('stop')).toEqual(['hung', 'a']);
    expect(calls.signals.get('a:stop')?.aborted).toBe(true);

    const reports = logger.messages('error').filter((m) => m.includes('abandoned'));
    expect(reports).toEqual([expect.stringContaining('Forced by a second SIGTERM')]);
    expect(reports[0]).toContain('hung (stop, running for 2.00s)');
    expect(host.exitCode).toBe(143);
    expect(clock.pendingTimers).toBe(0);
  });

  it("uses the signal's own number for the forced exit code (SIGINT: 130)", async () => {
    const calls = new CallLog();
    const { host } = createHost([recorded('hung', calls, { stop: never })]);
    await host.start();
    const stopped = host.stop();
    await flush();
    host.abandon('SIGINT');
    await stopped;
    expect(host.exitCode).toBe(130);
  });
});
