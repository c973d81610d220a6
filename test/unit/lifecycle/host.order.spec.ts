import { describe, expect, it } from '@jest/globals';
import { CallLog } from '../../helpers/recorder';
import { deferred, flush } from '../../helpers/deferred';
import { createHost, many, recorded, recordLifetime, track } from './host.fixtures';

type StartPhase = 'starting' | 'start' | 'started';
type StopPhase = 'stopping' | 'stop' | 'stopped';

describe('Host start and stop order', () => {
  // .NET LifecycleTests.CallbackOrder(concurrently). Ours fires lifetime `stopping` before the
  // `stopping` hooks, the order of .NET's usual shutdown path (B33), not of a direct StopAsync.
  it.each([false, true])(
    'runs every hook and lifetime event in the documented order (concurrent: %s)',
    async (concurrent) => {
      const calls = new CallLog();
      const { host, lifetime } = createHost([recorded('a', calls)], {
        servicesStartConcurrently: concurrent,
        servicesStopConcurrently: concurrent,
      });
      recordLifetime(lifetime, calls);

      await host.start();
      await host.stop();

      expect(calls.calls).toEqual([
        'a:starting',
        'a:start',
        'a:started',
        'lifetime=started',
        'lifetime=stopping',
        'a:stopping',
        'a:stop',
        'a:stopped',
        'lifetime=stopped',
      ]);
      expect(host.state).toBe('stopped');
    },
  );

  // .NET HostTests.StartAsync_StopAsync_Concurrency(stop, start, count): FIFO start, LIFO stop,
  // for services that complete at once, whatever the concurrency flags.
  describe.each([false, true])('with servicesStartConcurrently=%s', (startConcurrently) => {
    describe.each([false, true])('and servicesStopConcurrently=%s', (stopConcurrently) => {
      it.each([1, 4, 10])('starts %i services in registration order and stops them in reverse', async (count) => {
        const calls = new CallLog();
        const { host } = createHost(many(count, calls, false), {
          servicesStartConcurrently: startConcurrently,
          servicesStopConcurrently: stopConcurrently,
        });
        const names = Array.from({ length: count }, (_, i) => `s${i + 1}`);

        await host.start();
        expect(calls.of('start')).toEqual(names);
        await host.stop();
        expect(calls.of('stop')).toEqual([...names].reverse());
      });
    });
  });

  // .NET LifecycleTests.StartNonconcurrently.
  it('does not call the next start until the previous one has completed (sequential)', async () => {
    const calls = new CallLog();
    const first = deferred();
    const { host } = createHost([recorded('a', calls, { start: () => first.promise }), recorded('b', calls)]);

    const started = track(host.start());
    await flush();
    expect(calls.of('start')).toEqual(['a']);
    expect(started.settled).toBe(false);

    first.resolve();
    await started.promise;
    expect(calls.of('start')).toEqual(['a', 'b']);
    await host.stop();
  });

  // .NET LifecycleTests.StopNonconcurrently: the last-registered service is entered first.
  it('stops in reverse order, each stop awaited before the next (sequential)', async () => {
    const calls = new CallLog();
    const lastStop = deferred();
    const { host } = createHost([recorded('a', calls), recorded('b', calls, { stop: () => lastStop.promise })]);
    await host.start();

    const stopped = track(host.stop());
    await flush();
    expect(calls.of('stop')).toEqual(['b']);

    lastStop.resolve();
    await stopped.promise;
    expect(calls.of('stop')).toEqual(['b', 'a']);
  });

  // B09: every phase is a barrier, in both modes. The inferred multi-service case of CallbackOrder.
  it.each([false, true])(
    'runs every starting hook before any start, and every start before any started (concurrent: %s)',
    async (concurrent) => {
      const calls = new CallLog();
      const slowStarting = deferred();
      const slowStart = deferred();
      const { host } = createHost(
        [
          recorded('a', calls, { start: () => slowStart.promise }),
          recorded('b', calls, { starting: () => slowStarting.promise }),
          recorded('c', calls),
        ],
        { servicesStartConcurrently: concurrent },
      );

      const started = track(host.start());
      await flush();
      expect(calls.of('starting')).toEqual(concurrent ? ['a', 'b', 'c'] : ['a', 'b']);
      expect(calls.of('start')).toEqual([]);

      slowStarting.resolve();
      await flush();
      expect(calls.of('starting')).toEqual(['a', 'b', 'c']);
      expect(calls.of('start')).toEqual(concurrent ? ['a', 'b', 'c'] : ['a']);
      expect(calls.of('started')).toEqual([]);

      slowStart.resolve();
      await started.promise;
      // (In concurrent mode `started` follows the order the starts completed in: not pinned here.)
      expect(calls.calls.slice(-3).sort()).toEqual(['a:started', 'b:started', 'c:started']);
      await host.stop();
    },
  );

  it.each([false, true])(
    'runs every stopping hook before any stop, and every stop before any stopped (concurrent: %s)',
    async (concurrent) => {
      const calls = new CallLog();
      const slowStopping = deferred();
      const slowStop = deferred();
      const { host } = createHost(
        [
          recorded('a', calls),
          recorded('b', calls, { stopping: () => slowStopping.promise }),
          recorded('c', calls, { stop: () => slowStop.promise }),
        ],
        { servicesStopConcurrently: concurrent },
      );
      await host.start();

      const stopped = track(host.stop());
      await flush();
      expect(calls.of('stopping')).toEqual(concurrent ? ['c', 'b', 'a'] : ['c', 'b']);
      expect(calls.of('stop')).toEqual([]);

      slowStopping.resolve();
      await flush();
      expect(calls.of('stopping')).toEqual(['c', 'b', 'a']);
      expect(calls.of('stop')).toEqual(concurrent ? ['c', 'b', 'a'] : ['c']);
      expect(calls.of('stopped')).toEqual([]);

      slowStop.resolve();
      await stopped.promise;
      expect(calls.of('stop')).toEqual(['c', 'b', 'a']);
      expect(calls.calls.slice(-3)).toEqual(['c:stopped', 'b:stopped', 'a:stopped']);
    },
  );

  // .NET LifecycleTests.StartingConcurrently / StartConcurrently / StartedConcurrently: every
  // service's synchronous part runs, in registration order, before any of them finishes.
  it.each<StartPhase>(['starting', 'start', 'started'])(
    'calls every %s hook before awaiting any (servicesStartConcurrently)',
    async (phase) => {
      const calls = new CallLog();
      const order: string[] = [];
      const gates = { a: deferred(), b: deferred() };
      const hook = (name: 'a' | 'b') => async () => {
        order.push(`${name}:entered`);
        await gates[name].promise;
        order.push(`${name}:finished`);
      };
      const { host } = createHost(
        [recorded('a', calls, { [phase]: hook('a') }), recorded('b', calls, { [phase]: hook('b') })],
        { servicesStartConcurrently: true },
      );

      const started = track(host.start());
      await flush();
      expect(order).toEqual(['a:entered', 'b:entered']);

      gates.b.resolve();
      await flush();
      expect(order).toEqual(['a:entered', 'b:entered', 'b:finished']);
      expect(started.settled).toBe(false); // the phase waits for all of them

      gates.a.resolve();
      await started.promise;
      expect(order).toEqual(['a:entered', 'b:entered', 'b:finished', 'a:finished']);
      await host.stop();
    },
  );

  // .NET LifecycleTests.StoppingConcurrently / StopConcurrently / StoppedConcurrently: the same,
  // with the synchronous parts in reverse order.
  it.each<StopPhase>(['stopping', 'stop', 'stopped'])(
    'calls every %s hook in reverse before awaiting any (servicesStopConcurrently)',
    async (phase) => {
      const calls = new CallLog();
      const order: string[] = [];
      const gates = { a: deferred(), b: deferred() };
      const hook = (name: 'a' | 'b') => async () => {
        order.push(`${name}:entered`);
        await gates[name].promise;
        order.push(`${name}:finished`);
      };
      const { host } = createHost(
        [recorded('a', calls, { [phase]: hook('a') }), recorded('b', calls, { [phase]: hook('b') })],
        { servicesStopConcurrently: true },
      );
      await host.start();

      const stopped = track(host.stop());
      await flush();
      expect(order).toEqual(['b:entered', 'a:entered']);

      gates.a.resolve();
      await flush();
      expect(stopped.settled).toBe(false);

      gates.b.resolve();
      await stopped.promise;
      expect(order).toEqual(['b:entered', 'a:entered', 'a:finished', 'b:finished']);
    },
  );

  it('stops only services whose start completed, in exact reverse of that order', async () => {
    // Concurrent start: b finishes before a, so "actual start order" is b, a, and a is stopped first.
    const calls = new CallLog();
    const aStart = deferred();
    const { host } = createHost([recorded('a', calls, { start: () => aStart.promise }), recorded('b', calls)], {
      servicesStartConcurrently: true,
    });

    const started = track(host.start());
    await flush();
    aStart.resolve();
    await started.promise;
    await host.stop();

    expect(calls.of('start')).toEqual(['a', 'b']);
    expect(calls.of('stop')).toEqual(['a', 'b']);
  });

  it('logs each start step with its service name and duration at debug, and the host start at log', async () => {
    const calls = new CallLog();
    const { host, clock, logger } = createHost([recorded('Poller', calls, { start: () => clock.delay(40) }, false)]);
    const started = track(host.start());
    await clock.advance(40);
    await started.promise;
    expect(logger.messages('debug')).toContain('Poller: start in 40ms');
    expect(logger.messages('log')).toContain('Started 1 hosted service in 40ms');
    await host.stop();
  });

  it('skips the lifecycle hooks a service does not implement', async () => {
    const calls = new CallLog();
    const { host } = createHost([recorded('plain', calls, {}, false), recorded('full', calls)]);
    await host.start();
    await host.stop();
    expect(calls.calls).toEqual([
      'full:starting',
      'plain:start',
      'full:start',
      'full:started',
      'full:stopping',
      'full:stop',
      'plain:stop',
      'full:stopped',
    ]);
  });
});
