import { describe, expect, it } from '@jest/globals';
import { HostStartCancelledError } from '../../../lib/errors/host-start-cancelled.error';
import { HostStartTimeoutError } from '../../../lib/errors/host-start-timeout.error';
import { HostedServicesError } from '../../../lib/errors/hosted-services.error';
import { isHostingError } from '../../../lib/errors/hosting-error';
import { InvalidHostStateError } from '../../../lib/errors/invalid-host-state.error';
import { CallLog } from '../../helpers/recorder';
import { deferred, flush } from '../../helpers/deferred';
import { createHost, never, recorded, recordLifetime, track } from './host.fixtures';

type StartPhase = 'starting' | 'start' | 'started';

const fail = (error: Error, async: boolean) =>
  async
    ? () => Promise.reject(error)
    : () => {
        throw error;
      };

describe('Host startup failure', () => {
  // .NET Internal/HostTests.AppCrashesOnStartWhenFirstHostedServiceThrows and
  // HostDoesNotNotifyIHostApplicationLifetimeCallbacksIfIHostedServicesThrow.
  it("rethrows the first service's start error as is, never calls the next one, and stops nothing", async () => {
    const calls = new CallLog();
    const boom = new Error('boom');
    const { host, lifetime } = createHost([
      recorded('a', calls, { start: fail(boom, false) }, false),
      recorded('b', calls, {}, false),
    ]);
    recordLifetime(lifetime, calls);

    await expect(host.start()).rejects.toBe(boom);
    expect(calls.calls).toEqual(['a:start', 'lifetime=stopping', 'lifetime=stopped']);
    expect(lifetime.hasFired('started')).toBe(false);
    expect(host.state).toBe('stopped');
    expect(host.exitCode).toBe(1);
  });

  // fx "rolls back started services when a later start fails"; .NET B20/B23 (which, unlike us,
  // does not stop the services that had started).
  it.each([false, true])(
    'rolls back started services in reverse when a later start fails (async throw: %s)',
    async (async) => {
      const calls = new CallLog();
      const boom = new Error('s3 failed');
      const services = ['s1', 's2', 's3', 's4', 's5'].map((n) =>
        recorded(n, calls, n === 's3' ? { start: fail(boom, async) } : {}),
      );
      const { host, lifetime, logger } = createHost(services);
      recordLifetime(lifetime, calls);

      await expect(host.start()).rejects.toBe(boom);

      expect(calls.of('starting')).toEqual(['s1', 's2', 's3', 's4', 's5']);
      expect(calls.of('start')).toEqual(['s1', 's2', 's3']);
      expect(calls.of('started')).toEqual([]);
      // Only the services whose start completed are stopped, in reverse; s3 (failed) and s4, s5
      // (never started) get no stop call of any phase.
      expect(calls.of('stopping')).toEqual(['s2', 's1']);
      expect(calls.of('stop')).toEqual(['s2', 's1']);
      expect(calls.of('stopped')).toEqual(['s2', 's1']);
      expect(lifetime.hasFired('started')).toBe(false);
      expect(calls.calls.indexOf('lifetime=stopped')).toBe(calls.calls.length - 1);
      expect(logger.messages('error').some((m) => m.includes('s3: start failed') && m.includes('s3 failed'))).toBe(
        true,
      );
    },
  );

  // .NET LifecycleTests.StartPhasesException_Starting|_Start|_Started(throwAfterAsyncCall).
  describe.each([false, true])('when a hook throws (async: %s)', (async) => {
    const cases: Array<[StartPhase, string[]]> = [
      ['starting', ['a:starting']],
      ['start', ['a:starting', 'b:starting', 'a:start']],
      // Every start ran; both services started, so both are rolled back.
      [
        'started',
        [
          'a:starting',
          'b:starting',
          'a:start',
          'b:start',
          'a:started',
          'b:stopping',
          'a:stopping',
          'b:stop',
          'a:stop',
          'b:stopped',
          'a:stopped',
        ],
      ],
    ];
    it.each(cases)(
      'in the %s phase, runs exactly the calls before it, then rolls back what started',
      async (phase, expected) => {
        const calls = new CallLog();
        const boom = new Error(`throw on ${phase}`);
        const { host } = createHost([recorded('a', calls, { [phase]: fail(boom, async) }), recorded('b', calls)]);

        await expect(host.start()).rejects.toBe(boom);
        expect(calls.calls).toEqual(expected);
      },
    );
  });

  // B15, B18: concurrent mode calls everyone, then reports every failure.
  it('calls every start in concurrent mode and rethrows a single failure as the same object', async () => {
    const calls = new CallLog();
    const boom = new Error('b failed');
    const { host } = createHost(
      [recorded('a', calls), recorded('b', calls, { start: fail(boom, false) }), recorded('c', calls)],
      { servicesStartConcurrently: true },
    );

    await expect(host.start()).rejects.toBe(boom);
    expect(calls.of('start')).toEqual(['a', 'b', 'c']);
    expect(calls.of('started')).toEqual([]);
    expect(calls.of('stop')).toEqual(['c', 'a']); // b's start failed: not stopped
  });

  it('gathers several concurrent start failures into a HostedServicesError, in the order they happened', async () => {
    const calls = new CallLog();
    const [ea, ec] = [new Error('a failed'), new Error('c failed')];
    const aStart = deferred();
    const { host } = createHost(
      [
        recorded('a', calls, { start: () => aStart.promise }),
        recorded('b', calls),
        recorded('c', calls, { start: fail(ec, false) }),
      ],
      { servicesStartConcurrently: true },
    );

    const started = track(host.start());
    await flush();
    aStart.reject(ea); // after c's synchronous failure
    await started.promise.catch(() => undefined);

    const error = started.error as HostedServicesError;
    expect(error).toBeInstanceOf(HostedServicesError);
    expect(error).toBeInstanceOf(AggregateError);
    expect(error.code).toBe('HOSTING_START_FAILED');
    expect(isHostingError(error, 'HOSTING_START_FAILED')).toBe(true);
    expect(error.errors).toEqual([ec, ea]);
    expect(error.errors[0]).toBe(ec);
    expect(calls.of('stop')).toEqual(['b']);
  });

  it('keeps the original error when the rollback itself fails, and logs the rollback failure', async () => {
    const calls = new CallLog();
    const boom = new Error('b failed');
    const { host, logger } = createHost([
      recorded('a', calls, { stop: fail(new Error('a cannot stop'), true) }),
      recorded('b', calls, { start: fail(boom, true) }),
    ]);

    await expect(host.start()).rejects.toBe(boom);
    expect(calls.of('stop')).toEqual(['a']);
    expect(calls.of('stopped')).toEqual(['a']); // the rollback carries on after a stop error
    expect(logger.messages('error').some((m) => m.includes('a: stop failed') && m.includes('a cannot stop'))).toBe(
      true,
    );
  });

  it('rolls back under the shutdown budget: a rollback stop that hangs does not hold startup forever', async () => {
    const calls = new CallLog();
    const boom = new Error('b failed');
    const { host, clock } = createHost(
      [recorded('a', calls, { stop: never }), recorded('b', calls, { start: fail(boom, false) })],
      { shutdownTimeout: 5_000 },
    );

    const started = track(host.start());
    await clock.advance(4_999);
    expect(started.settled).toBe(false);
    expect(calls.signals.get('a:stop')?.aborted).toBe(false);

    await clock.advance(1);
    expect(started.error).toBe(boom);
    expect(calls.signals.get('a:stop')?.aborted).toBe(true);
    expect(calls.of('stopped')).toEqual(['a']);
  });
});

describe('Host startupTimeout', () => {
  // .NET LifecycleTests.StartTimeoutClass_WithValue(phase): but the host stops waiting for a hook
  // that ignores its signal (.NET would wait for it, B29).
  it.each<StartPhase>(['starting', 'start', 'started'])(
    'rejects with HostStartTimeoutError naming the service hung in %s, and rolls back',
    async (phase) => {
      const calls = new CallLog();
      const { host, clock, lifetime } = createHost(
        [recorded('a', calls), recorded('hung', calls, { [phase]: never }), recorded('c', calls)],
        { startupTimeout: 1_000 },
      );

      const started = track(host.start());
      await clock.advance(999);
      expect(started.settled).toBe(false);
      expect(calls.signals.get(`hung:${phase}`)?.aborted).toBe(false);

      await clock.advance(1);
      const error = started.error as HostStartTimeoutError;
      expect(error).toBeInstanceOf(HostStartTimeoutError);
      expect(error.code).toBe('HOSTING_START_TIMEOUT');
      expect(error.pending).toEqual([`hung (${phase}, 1.00s)`]);
      expect(error.message).toContain('hung');
      // The hook's signal aborted with that very error.
      expect(calls.signals.get(`hung:${phase}`)?.reason).toBe(error);
      // No phase after the hung one, and no later service in it, ran (sequential).
      const startedServices = phase === 'start' ? ['a'] : phase === 'started' ? ['a', 'hung', 'c'] : [];
      expect(calls.of('start')).toEqual(phase === 'start' ? ['a', 'hung'] : startedServices);
      expect(calls.of('stop')).toEqual([...startedServices].reverse());
      expect(lifetime.hasFired('started')).toBe(false);
      expect(host.exitCode).toBe(1);
    },
  );

  // .NET LifecycleTests.StartTimeoutClass_WithValue_Concurrently.
  it('times out a concurrent start too, rolling back the services that did start', async () => {
    const calls = new CallLog();
    const { host, clock } = createHost(
      [recorded('a', calls), recorded('hung', calls, { start: never }), recorded('c', calls)],
      {
        startupTimeout: 500,
        servicesStartConcurrently: true,
      },
    );

    const started = track(host.start());
    await clock.advance(500);
    expect(started.error).toBeInstanceOf(HostStartTimeoutError);
    expect((started.error as HostStartTimeoutError).pending).toEqual(['hung (start, 500ms)']);
    expect(calls.of('stop')).toEqual(['c', 'a']);
  });

  it('reports the timeout even when the hung service honours its signal by rejecting', async () => {
    const calls = new CallLog();
    const honours = (signal: AbortSignal) =>
      new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(new Error('cancelled'))));
    const { host, clock } = createHost([recorded('a', calls, { start: honours })], { startupTimeout: 100 });

    const started = track(host.start());
    await clock.advance(100);
    expect(started.error).toBeInstanceOf(HostStartTimeoutError);
  });

  it('leaves no timer behind once startup completes in time', async () => {
    const calls = new CallLog();
    const slow = deferred();
    const { host, clock } = createHost([recorded('a', calls, { start: () => slow.promise })], {
      startupTimeout: 1_000,
    });
    const started = track(host.start());
    await clock.advance(999);
    slow.resolve();
    await started.promise;
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(10_000);
    expect(host.state).toBe('started');
    await host.stop();
  });
});

describe('Host stop during start', () => {
  // .NET Internal/HostTests.CancellableStart_CancelledByApplicationLifetime / StartCanBeCancelled,
  // with fx rollback: stop cancels the start, and only what started is stopped.
  it('cancels a start in progress with HostStartCancelledError and rolls back the started services', async () => {
    const calls = new CallLog();
    const { host, lifetime } = createHost([
      recorded('a', calls),
      recorded('hung', calls, { start: never }),
      recorded('c', calls),
    ]);
    recordLifetime(lifetime, calls);

    const started = track(host.start());
    await flush();
    await host.stop();

    expect(started.error).toBeInstanceOf(HostStartCancelledError);
    expect(isHostingError(started.error, 'HOSTING_START_CANCELLED')).toBe(true);
    expect(calls.signals.get('hung:start')?.aborted).toBe(true);
    expect(calls.of('start')).toEqual(['a', 'hung']);
    expect(calls.of('stop')).toEqual(['a']);
    expect(lifetime.hasFired('started')).toBe(false);
    expect(calls.calls.slice(-1)).toEqual(['lifetime=stopped']);
    expect(host.state).toBe('stopped');
    expect(host.exitCode).toBe(0); // a cancelled start is not a failure
  });

  it('refuses to start twice, or after a stop', async () => {
    const calls = new CallLog();
    const { host } = createHost([recorded('a', calls)]);
    await host.start();
    await expect(host.start()).rejects.toBeInstanceOf(InvalidHostStateError);
    await host.stop();
    await expect(host.start()).rejects.toBeInstanceOf(InvalidHostStateError);
    expect(calls.of('start')).toEqual(['a']);
  });
});
