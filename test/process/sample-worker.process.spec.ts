import { afterEach, describe, expect, it } from '@jest/globals';
import { SAMPLE, SCENARIO, WorkerProcess } from './spawn-worker';

// The sample worker (sample/worker) as a real process: the README's `npm start`, minus the build.
let worker: WorkerProcess | undefined;
afterEach(() => worker?.dispose());

describe('sample worker (real process)', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stops gracefully on %s and ends by that signal, as Nest does',
    async (signal) => {
      worker = new WorkerProcess(SAMPLE);
      await worker.waitFor(/Worker running at/);
      worker.signal(signal);
      const exit = await worker.exited;
      expect(exit).toMatchObject({ code: null, signal });
      expect(worker.output).toContain(`Stopping hosted services (received ${signal})`);
      expect(worker.output).toMatch(/Stopped hosted services in/);
      // The loop ended on its stopping signal: not a fault, nothing at error level.
      expect(worker.output).not.toMatch(/ERROR|FATAL/);
      expect(exit.ms).toBeLessThan(2_000);
    },
  );

  it('keeps running until told to stop, even when its services only await promises', async () => {
    // Every idle service awaits a bare promise: without the host's keep-alive, Node would exit 0
    // right after startup. 'resource closed' appears only on a real stop.
    worker = new WorkerProcess(SCENARIO, { SCENARIO: 'idle' });
    await worker.waitFor(/idle-3 running/);
    // An observation window, not synchronisation: the failure mode is an exit within a few ms.
    const state = await Promise.race([
      worker.exited.then(() => 'exited'),
      new Promise((r) => setTimeout(() => r('alive'), 500)),
    ]);
    expect(state).toBe('alive');
    worker.signal('SIGTERM');
    expect(await worker.exited).toMatchObject({ signal: 'SIGTERM' });
  });

  it('with keepAlive: false, the same worker exits 0 right after startup (what keepAlive prevents)', async () => {
    worker = new WorkerProcess(SCENARIO, { SCENARIO: 'idle', KEEP_ALIVE: 'off' });
    const exit = await worker.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(worker.output).toMatch(/ready/);
    expect(worker.output).not.toMatch(/Stopping hosted services/);
  });

  it('treats one Ctrl+C delivered twice within a few ms (npm forwards it) as one graceful stop', async () => {
    worker = new WorkerProcess(SCENARIO, { SCENARIO: 'idle' });
    await worker.waitFor(/ready/);
    worker.signal('SIGINT');
    worker.signal('SIGINT');
    const exit = await worker.exited;
    expect(exit).toMatchObject({ code: null, signal: 'SIGINT' });
    expect(worker.output).not.toMatch(/Forced by a second/);
    expect(worker.output).toMatch(/idle-1 stopped, resource open=true/);
  });

  it('exits 0 after a clean signalled stop with useProcessExit', async () => {
    worker = new WorkerProcess(SCENARIO, { SCENARIO: 'idle', PROCESS_EXIT: 'on' });
    await worker.waitFor(/ready/);
    worker.signal('SIGTERM');
    expect(await worker.exited).toMatchObject({ code: 0, signal: null });
  });
});
