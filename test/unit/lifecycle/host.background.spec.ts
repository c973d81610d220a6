import { describe, expect, it } from '@jest/globals';
import { FakeClock } from '../../../lib/clock/fake-clock';
import { CallLog } from '../../helpers/recorder';
import { deferred, flush } from '../../helpers/deferred';
import { failingWorker, TestBackgroundService, untilAborted } from '../services/background-service.fixtures';
import { createHost, entry, recorded, recordLifetime, track } from './host.fixtures';

describe('Host with background services', () => {
  // B47: a synchronous (CPU-bound) prefix of execute cannot delay the other services' start.
  it("starts the next services before any of a background service's execute runs", async () => {
    const calls = new CallLog();
    const worker = new TestBackgroundService(async (signal) => {
      calls.calls.push('worker:execute');
      await untilAborted(signal);
    });
    const { host } = createHost([entry('worker', worker), recorded('b', calls)]);

    await host.start();
    expect(calls.calls).toEqual(['b:starting', 'b:start', 'b:started']);
    await flush();
    expect(calls.calls.slice(-1)).toEqual(['worker:execute']);
    await host.stop();
  });

  // B56: a background service's stopping signal aborts at its own stop, in reverse order, not
  // when the application starts stopping.
  it("aborts a worker's stopping signal at its own turn in the reverse stop order", async () => {
    const calls = new CallLog();
    const worker = new TestBackgroundService(untilAborted);
    const laterStop = deferred();
    const { host, lifetime } = createHost([
      entry('worker', worker),
      recorded('later', calls, { stop: () => laterStop.promise }),
    ]);
    await host.start();
    await flush();

    const stopped = track(host.stop());
    await flush();
    expect(lifetime.stoppingSignal.aborted).toBe(true);
    expect(worker.stoppingSignal?.aborted).toBe(false);

    laterStop.resolve();
    await stopped.promise;
    expect(worker.stoppingSignal?.aborted).toBe(true);
  });

  // .NET Internal/HostTests.HostNoErrorWhenServiceIsCanceledAsPartOfStop (B58, B59).
  it('logs nothing at error when a worker ends on its stopping signal during stop', async () => {
    const clock = new FakeClock();
    let ticks = 0;
    const worker = new TestBackgroundService(async (signal) => {
      while (!signal.aborted) {
        ticks++;
        await clock.delay(1_000, signal); // rejects with the signal's AbortError at stop
      }
    });
    const { host, logger, stopRequests } = createHost([entry('Worker', worker)], {}, { clock });
    await host.start();
    await flush();
    await clock.advance(2_500);
    expect(ticks).toBe(3);

    await host.stop();
    await expect(worker.executeTask).rejects.toMatchObject({ name: 'AbortError' });
    expect(logger.messages('error')).toEqual([]);
    expect(logger.messages('fatal')).toEqual([]);
    expect(stopRequests).toEqual([]);
    expect(host.exitCode).toBe(0);
  });

  // .NET Internal/HostTests.BackgroundServiceAsyncExceptionGetsLogged(StopHost) and
  // HostStopsApplicationWithOneBackgroundServiceErrorAndOthersWithoutError (B61).
  it('logs a fault before shutdown with the service name, logs fatal, and stops the application (stopHost)', async () => {
    const calls = new CallLog();
    const failure = deferred();
    const worker = failingWorker(failure.promise);
    const { host, logger, lifetime, stopRequests } = createHost(
      [entry('Worker', worker), recorded('other', calls)],
      {},
      { onStopRequest: 'stop' },
    );
    recordLifetime(lifetime, calls);
    await host.start();
    await flush();
    expect(stopRequests).toEqual([]);

    const boom = new Error('boom');
    failure.reject(boom);
    await host.stop(); // the same stop the fault requested

    expect(stopRequests).toEqual([{ kind: 'fault', service: 'Worker', error: boom }]);
    expect(logger.messages('error').filter((m) => m.includes('Background service Worker failed'))).toEqual([
      expect.stringContaining('boom'),
    ]);
    expect(logger.messages('fatal')).toEqual([expect.stringContaining('Worker')]);
    expect(logger.messages('fatal')[0]).toContain('stopHost');
    expect(calls.calls).toEqual([
      'other:starting',
      'other:start',
      'other:started',
      'lifetime=started',
      'lifetime=stopping',
      'other:stopping',
      'other:stop',
      'other:stopped',
      'lifetime=stopped',
    ]);
    expect(host.exitCode).toBe(1);
  });

  // .NET Internal/HostTests.BackgroundServiceAsyncExceptionGetsLogged(Ignore) and
  // HostHandlesExceptionsThrownWithBackgroundServiceExceptionBehaviorOfIgnore (B62).
  it("only logs a fault with 'ignore': the host keeps running and the exit code stays clean", async () => {
    const failure = deferred();
    const { host, logger, lifetime, stopRequests } = createHost(
      [entry('Worker', failingWorker(failure.promise))],
      { backgroundServiceExceptionBehavior: 'ignore' },
      { onStopRequest: 'stop' },
    );
    await host.start();
    await flush();

    failure.reject(new Error('boom'));
    await flush();
    expect(logger.messages('error')).toEqual([
      expect.stringContaining('Background service Worker failed: Error: boom'),
    ]);
    expect(logger.messages('fatal')).toEqual([]);
    expect(stopRequests).toEqual([]);
    expect(lifetime.hasFired('stopping')).toBe(false);
    expect(host.state).toBe('started');

    await host.stop();
    expect(host.exitCode).toBe(0); // B64: with Ignore the fault never reaches the exit code
  });

  // .NET Internal/HostTests.HostStopsWithBackgroundServiceExceptionBehaviorOfStopHost (.NET 10+, B49).
  it('starts normally when execute throws synchronously, then stops the application for the fault', async () => {
    const boom = new Error('sync');
    const worker = new TestBackgroundService(() => {
      throw boom;
    });
    const { host, stopRequests } = createHost([entry('Worker', worker)]);

    await expect(host.start()).resolves.toBeUndefined();
    await flush();
    expect(stopRequests).toEqual([{ kind: 'fault', service: 'Worker', error: boom }]);
    await host.stop();
  });

  // B58: an AbortError before shutdown is a fault like any other.
  it('treats an AbortError raised before shutdown as a fault', async () => {
    const failure = deferred();
    const { host, stopRequests } = createHost([entry('Worker', failingWorker(failure.promise))]);
    await host.start();
    await flush();
    failure.reject(new DOMException('request aborted', 'AbortError'));
    await flush();
    expect(stopRequests).toEqual([expect.objectContaining({ kind: 'fault', service: 'Worker' })]);
    await host.stop();
  });

  it('reports a rejection during stop that the stop did not cause, without asking to stop again', async () => {
    const worker = new TestBackgroundService(async (signal) => {
      await untilAborted(signal).catch(() => undefined);
      throw new Error('flush failed');
    });
    const { host, logger, stopRequests } = createHost([entry('Worker', worker)]);
    await host.start();
    await flush();

    await host.stop();
    await flush();
    expect(logger.messages('error')).toEqual([
      expect.stringContaining('Background service Worker failed: Error: flush failed'),
    ]);
    expect(logger.messages('fatal')).toEqual([]);
    expect(stopRequests).toEqual([]);
    expect(host.exitCode).toBe(1);
  });

  // B57: a worker that simply returns leaves the host running.
  it('does nothing when execute completes normally', async () => {
    const { host, logger, stopRequests, lifetime } = createHost([
      entry('Worker', new TestBackgroundService(() => Promise.resolve())),
    ]);
    await host.start();
    await flush();
    expect(stopRequests).toEqual([]);
    expect(lifetime.hasFired('stopping')).toBe(false);
    expect(logger.messages('debug')).toContain('Worker: execute completed');
    await host.stop();
    expect(host.exitCode).toBe(0);
  });

  // B45 made real: a worker ignoring its signal is abandoned at the deadline, and reported.
  it('abandons a worker that ignores its stopping signal at shutdownTimeout and reports it', async () => {
    const clock = new FakeClock();
    const worker = new TestBackgroundService(() => new Promise<void>(() => undefined));
    const { host, logger } = createHost([entry('Worker', worker)], { shutdownTimeout: 2_000 }, { clock });
    await host.start();
    await flush();
    await clock.advance(1_000);

    const stopped = track(host.stop());
    await clock.advance(1_999);
    expect(stopped.settled).toBe(false);
    await clock.advance(1);
    expect(stopped.settled).toBe(true);
    // What is still running is execute (BackgroundService.stop itself returned at the deadline),
    // for as long as the worker has been executing.
    expect(logger.messages('error')).toEqual([
      expect.stringContaining('abandoned 1 hosted service: Worker (execute, running for 3.00s)'),
    ]);
    expect(host.exitCode).toBe(124);
  });

  // B63: a fault while later services are still starting cancels the start with that very fault.
  it('cancels a start in progress with the fault when a worker fails during startup (stopHost)', async () => {
    const calls = new CallLog();
    const failure = deferred();
    const worker = failingWorker(failure.promise);
    const { host } = createHost(
      [entry('Worker', worker), recorded('slow', calls, { start: () => new Promise<void>(() => undefined) })],
      {},
      { onStopRequest: 'stop' },
    );

    const started = track(host.start());
    await flush();
    const boom = new Error('boom');
    failure.reject(boom);
    await flush();

    expect(started.error).toBe(boom);
    expect(worker.stoppingSignal?.aborted).toBe(true); // rolled back
    expect(calls.of('stop')).toEqual([]); // its start never completed
    await host.stop();
    expect(host.exitCode).toBe(1);
  });
});
