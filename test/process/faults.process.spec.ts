import { afterEach, describe, expect, it } from '@jest/globals';
import { SCENARIO, WorkerProcess } from './spawn-worker';

let worker: WorkerProcess | undefined;
afterEach(() => worker?.dispose());

describe('faults, stopApplication and startup in a real process', () => {
  it("a crashed background service stops the whole application gracefully and exits 1 ('stopHost')", async () => {
    worker = new WorkerProcess(SCENARIO, { SCENARIO: 'fault' });
    const exit = await worker.exited;
    expect(exit).toMatchObject({ code: 1, signal: null });
    expect(worker.output).toMatch(
      /ERROR \[Hosting\] Background service Faulty failed: Error: boom: the worker crashed/,
    );
    expect(worker.output).toMatch(
      /FATAL \[Hosting\] Background service Faulty failed and backgroundServiceExceptionBehavior is 'stopHost'/,
    );
    expect(worker.output).toMatch(/Stopping hosted services \(Faulty failed\)/);
    expect(worker.output).toMatch(/idle-1 stopped, resource open=true/);
  });

  it('keeps exit code 1 after a fault when Nest exits the process itself (useProcessExit)', async () => {
    worker = new WorkerProcess(SCENARIO, { SCENARIO: 'fault', PROCESS_EXIT: 'on' });
    expect(await worker.exited).toMatchObject({ code: 1, signal: null });
  });

  it.each([0, 3])(
    'stopApplication(%i) from inside a service closes the application and exits with that code',
    async (code) => {
      worker = new WorkerProcess(SCENARIO, { SCENARIO: 'stop-application', EXIT_CODE: String(code) });
      const exit = await worker.exited;
      expect(exit).toMatchObject({ code, signal: null });
      expect(worker.output).toMatch(/Stopping hosted services \(stopApplication\(\d\) was called\)/);
      expect(worker.output).toMatch(/resource closed/); // Nest's own teardown ran: the app was closed
    },
  );

  it('without runHost, stopApplication(3) stops the services and says at error level that nothing can close the app; a worker with nothing else open then ends by itself, with 3', async () => {
    worker = new WorkerProcess(SCENARIO, { SCENARIO: 'stop-application', EXIT_CODE: '3', HOOKS: 'off' });
    const exit = await worker.exited;
    expect(exit).toMatchObject({ code: 3, signal: null });
    expect(worker.output).toMatch(
      /ERROR \[Hosting\] The hosted services stopped \(stopApplication\(3\) was called\), but nothing can close the Nest application.*runHost\(app\)/,
    );
    expect(worker.output).not.toMatch(/resource closed/);
  });

  it('SIGTERM during a startup that hangs cancels it, rolls back what started, and exits 143', async () => {
    worker = new WorkerProcess(SCENARIO, { SCENARIO: 'hung-start' });
    await worker.waitFor(/hung start entered/);
    worker.signal('SIGTERM');
    const exit = await worker.exited;
    expect(exit).toMatchObject({ code: 143, signal: null });
    expect(exit.ms).toBeLessThan(1_500); // prompt: nothing waits for the 2 s shutdown budget
    expect(worker.output).toMatch(/Startup of the hosted services was cancelled: received SIGTERM/);
    expect(worker.output).toMatch(/Stopping hosted services \(rolling back a failed start\)/);
    expect(worker.output).toMatch(/idle-1 stopped, resource open=true/);
    expect(worker.output).not.toMatch(/hung stop called/); // its start never completed: never stopped
  });

  it('a startup that hangs past startupTimeout fails init with HostStartTimeoutError naming the service', async () => {
    worker = new WorkerProcess(SCENARIO, { SCENARIO: 'hung-start', STARTUP_MS: '300' });
    const exit = await worker.exited;
    expect(exit).toMatchObject({ code: 1, signal: null });
    expect(worker.output).toMatch(
      /HostStartTimeoutError: Hosted services did not start within startupTimeout \(300ms\); still starting: HungStart \(start, \d+ms\)/,
    );
    expect(worker.output).toMatch(/idle-3 stopped, resource open=true/);
  });

  it('SIGTERM during a hung startup with a startupTimeout still cancels at once', async () => {
    worker = new WorkerProcess(SCENARIO, { SCENARIO: 'hung-start', STARTUP_MS: '10000' });
    await worker.waitFor(/hung start entered/);
    worker.signal('SIGTERM');
    const exit = await worker.exited;
    expect(exit).toMatchObject({ code: 143, signal: null });
    expect(exit.ms).toBeLessThan(1_500); // prompt: nothing waits for the 2 s shutdown budget
  });
});
