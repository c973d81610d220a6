import { afterEach, describe, expect, it } from '@jest/globals';
import { SCENARIO, WorkerProcess } from './spawn-worker';

let worker: WorkerProcess | undefined;
afterEach(() => worker?.dispose());

describe('shutdown in a real process', () => {
  it('stops dependencies only after every hosted service stopped, in reverse start order', async () => {
    worker = new WorkerProcess(SCENARIO, { SCENARIO: 'idle', SERVICES: '3' });
    await worker.waitFor(/ready/);
    worker.signal('SIGTERM');
    await worker.exited;
    const stops = [3, 2, 1].map((i) => worker!.indexOf(new RegExp(`idle-${i} stopped, resource open=true`)));
    expect(stops.every((i) => i >= 0)).toBe(true);
    expect([...stops].sort((a, b) => a - b)).toEqual(stops); // reverse of declaration order
    expect(worker.indexOf(/resource closed/)).toBeGreaterThan(Math.max(...stops));
  });

  it('enforces the shutdown deadline on a service that ignores its signal: exit 124 within the budget plus a bound', async () => {
    worker = new WorkerProcess(SCENARIO, { SCENARIO: 'ignore-abort', SHUTDOWN_MS: '1000' });
    await worker.waitFor(/stubborn running/);
    worker.signal('SIGTERM');
    const exit = await worker.exited;
    expect(exit).toMatchObject({ code: 124, signal: null });
    expect(exit.ms).toBeGreaterThanOrEqual(950);
    expect(exit.ms).toBeLessThan(1_000 + 1_000); // documented bound: measured ~20 ms, generous for CI
    expect(worker.output).toMatch(
      /Shutdown deadline of 1\.00s exceeded; abandoned 1 hosted service: Stubborn \(execute, running for/,
    );
    // The other services were still stopped, and dependencies closed after them.
    expect(worker.output).toMatch(/idle-1 stopped, resource open=true/);
    expect(worker.output).toMatch(/resource closed/);
  });

  it('escalates on a second signal during shutdown: stops waiting, reports what was abandoned, exits 128+n at once', async () => {
    worker = new WorkerProcess(SCENARIO, { SCENARIO: 'slow-stop', SHUTDOWN_MS: '10000' });
    await worker.waitFor(/slow running/);
    worker.signal('SIGTERM');
    await worker.waitFor(/slow still stopping 2/); // > 500 ms later: a genuine second signal
    worker.signal('SIGTERM');
    const exit = await worker.exited;
    expect(exit).toMatchObject({ code: 143, signal: null });
    expect(exit.ms).toBeLessThan(1_000);
    expect(worker.output).toMatch(
      /Forced by a second SIGTERM; abandoned \d+ hosted services?: SlowStop \(stop, running for/,
    );
    expect(worker.output).not.toMatch(/slow still stopping 6/);
  });

  it('escalates a second SIGINT too (exit 130)', async () => {
    worker = new WorkerProcess(SCENARIO, { SCENARIO: 'slow-stop', SHUTDOWN_MS: '10000' });
    await worker.waitFor(/slow running/);
    worker.signal('SIGINT');
    await worker.waitFor(/slow still stopping 2/);
    worker.signal('SIGINT');
    expect(await worker.exited).toMatchObject({ code: 130, signal: null });
  });

  it('gets out of the way when shutdown hooks are not enabled: the signal ends the process as usual', async () => {
    worker = new WorkerProcess(SCENARIO, { SCENARIO: 'idle', HOOKS: 'off' });
    await worker.waitFor(/ready/);
    worker.signal('SIGTERM');
    expect(await worker.exited).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(worker.output).not.toMatch(/Stopping hosted services/);
  });
});
