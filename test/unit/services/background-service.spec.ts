import { afterEach, describe, expect, it } from '@jest/globals';
import { FakeClock } from '../../../lib/clock/fake-clock';
import { deferred, flush } from '../../helpers/deferred';
import { TestBackgroundService, untilAborted } from './background-service.fixtures';

const live = (): AbortSignal => new AbortController().signal;

/** Records whether a promise settled, without leaving an unhandled rejection. */
function observe(promise: Promise<unknown>): { settled: boolean; error?: unknown } {
  const state: { settled: boolean; error?: unknown } = { settled: false };
  promise.then(
    () => (state.settled = true),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

const clocks: FakeClock[] = [];
const newClock = (): FakeClock => {
  const clock = new FakeClock();
  clocks.push(clock);
  return clock;
};
afterEach(() => {
  const pending = clocks.splice(0).map((c) => c.pendingTimers);
  expect({ pendingTimers: pending }).toEqual({ pendingTimers: pending.map(() => 0) });
});

describe('BackgroundService start', () => {
  // .NET BackgroundServiceTests.StartReturnsCompletedTask (B47): start runs no user code.
  it('returns before execute runs, and then runs execute exactly once', async () => {
    const running = deferred();
    const service = new TestBackgroundService(() => running.promise);

    expect(service.executeTask).toBeUndefined(); // B50
    expect(service.stoppingSignal).toBeUndefined();
    expect(service.start(live())).toBeUndefined(); // synchronous: nothing to await
    expect(service.executeCalls).toBe(0);
    expect(service.executeTask).toBeInstanceOf(Promise);

    await flush();
    expect(service.executeCalls).toBe(1);
    expect(service.executeSignals[0]).toBe(service.stoppingSignal);
    const task = observe(service.executeTask!);
    await flush();
    expect(task.settled).toBe(false); // execute is still running

    running.resolve();
    await service.executeTask;
    service.start(live()); // a second start is ignored
    await flush();
    expect(service.executeCalls).toBe(1);
  });

  // .NET BackgroundServiceTests.StartSynchronousAndStop (B47, B49).
  it('is not delayed by a synchronous prefix of execute, nor failed by a synchronous throw', async () => {
    const order: string[] = [];
    const boom = new Error('sync throw');
    const service = new TestBackgroundService(() => {
      order.push('execute prefix');
      throw boom;
    });

    expect(() => service.start(live())).not.toThrow();
    order.push('start returned');
    await expect(service.executeTask).rejects.toBe(boom);
    expect(order).toEqual(['start returned', 'execute prefix']);
    await expect(service.stop(live())).resolves.toBeUndefined();
  });

  // .NET BackgroundServiceTests.StartCancelledThrowsTaskCanceledException, .NET 11 semantics (B51, B52).
  it('never runs execute after a start whose signal was already aborted', async () => {
    const service = new TestBackgroundService(() => Promise.resolve());
    const controller = new AbortController();
    const reason = new Error('startup cancelled');
    controller.abort(reason);

    expect(() => service.start(controller.signal)).not.toThrow();
    await expect(service.executeTask).rejects.toBe(reason);
    await flush();
    expect(service.executeCalls).toBe(0);
    expect(service.stoppingSignal?.aborted).toBe(true);
    await expect(service.stop(live())).resolves.toBeUndefined();
  });

  // B52, the .NET 11 fix (dotnet/runtime#131249): a stop right after start must not skip execute.
  it('runs execute exactly once, with an aborted signal, when stop comes before its first turn', async () => {
    const abortedOnEntry: boolean[] = [];
    const service = new TestBackgroundService(async (signal) => {
      abortedOnEntry.push(signal.aborted);
      await untilAborted(signal);
    });

    service.start(live());
    const stopped = observe(service.stop(live()));
    expect(service.executeCalls).toBe(0);

    await flush();
    expect(abortedOnEntry).toEqual([true]);
    expect(stopped.settled).toBe(true);
    await flush();
    expect(service.executeCalls).toBe(1);
  });

  // .NET BackgroundServiceTests.StartAsyncThenCancelShouldCancelExecutingTask (B30, B55).
  it('cancels execute when the start signal aborts before stop', async () => {
    const service = new TestBackgroundService(untilAborted);
    const controller = new AbortController();
    const reason = new Error('startup cancelled');
    service.start(controller.signal);
    await flush();

    controller.abort(reason);
    expect(service.stoppingSignal?.aborted).toBe(true);
    expect(service.stoppingSignal?.reason).toBe(reason);
    await expect(service.executeTask).rejects.toBe(reason);
  });
});

describe('BackgroundService stop', () => {
  // .NET BackgroundServiceTests.StopAsyncWithoutStartAsyncNoops.
  it('does nothing when never started', async () => {
    const service = new TestBackgroundService(() => Promise.resolve());
    await expect(service.stop(live())).resolves.toBeUndefined();
    await flush();
    expect(service.executeCalls).toBe(0);
    expect(service.executeTask).toBeUndefined();
  });

  // .NET BackgroundServiceTests.StopAsyncStopsBackgroundService (B53).
  it('aborts the stopping signal and waits for execute to finish', async () => {
    const cleanup = deferred();
    const service = new TestBackgroundService(async (signal) => {
      await untilAborted(signal).catch(() => undefined);
      await cleanup.promise; // e.g. flushing a buffer after the loop
    });
    service.start(live());
    await flush();
    expect(service.stoppingSignal?.aborted).toBe(false);

    const stopped = observe(service.stop(live()));
    expect(service.stoppingSignal?.aborted).toBe(true); // synchronously, as CancellationTokenSource.Cancel
    await flush();
    expect(stopped.settled).toBe(false);

    cleanup.resolve();
    await flush();
    expect(stopped).toEqual({ settled: true });
    await expect(service.executeTask).resolves.toBeUndefined();
  });

  // .NET BackgroundServiceTests.StopAsyncStopsEvenIfTaskNeverEnds (B45, B53).
  it('waits no longer than its own signal when execute ignores the stopping signal', async () => {
    const clock = newClock();
    const service = new TestBackgroundService(() => new Promise<void>(() => undefined));
    service.start(live());
    await flush();

    const deadline = new AbortController();
    clock.setTimer(() => deadline.abort(), 1_000);
    const stopped = observe(service.stop(deadline.signal));
    await clock.advance(999);
    expect(stopped.settled).toBe(false);
    await clock.advance(1);
    expect(stopped).toEqual({ settled: true });
  });

  it("never rethrows execute's rejection, whether caused by the abort or not", async () => {
    const abortCaused = new TestBackgroundService(untilAborted);
    const failing = new TestBackgroundService(async (signal) => {
      await untilAborted(signal).catch(() => undefined);
      throw new Error('cleanup failed');
    });
    for (const service of [abortCaused, failing]) {
      service.start(live());
      await flush();
      await expect(service.stop(live())).resolves.toBeUndefined();
      await expect(service.executeTask).rejects.toBeDefined();
    }
  });

  // The Worker template (B59): a delay loop on the injected clock, ended by the stopping signal.
  it('ends a clock-driven worker loop at stop, leaving no timer behind', async () => {
    const clock = newClock();
    let ticks = 0;
    const service = new TestBackgroundService(async (signal) => {
      while (!signal.aborted) {
        ticks++;
        await clock.delay(1_000, signal);
      }
    });
    service.start(live());
    await flush();
    await clock.advance(3_000);
    expect(ticks).toBe(4);

    await service.stop(live());
    expect(clock.pendingTimers).toBe(0);
    const task = observe(service.executeTask!);
    await flush();
    expect((task.error as Error).name).toBe('AbortError');
  });
});
