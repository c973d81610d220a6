import { afterEach, describe, expect, it } from '@jest/globals';
import { request } from 'node:http';
import { join } from 'node:path';
import { SCENARIO, WorkerProcess } from './spawn-worker';

const HTTP_FIRST = join(__dirname, '..', '..', 'dist-sample', 'test', 'process', 'fixtures', 'http-first.js');

/** The status of a GET on its own connection, or the error code of a connection that failed. */
function get(port: number): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

// The process lifetime's promises that only a real process can show: where a stop request may
// come from, what a frozen provider does to startup, and that without runHost() or Nest's shutdown
// hooks the library leaves signals to whoever else listens (test/process/fixtures/scenario.ts).

let worker: WorkerProcess | undefined;
afterEach(() => worker?.dispose());

describe('the process lifetime in a real process', () => {
  it.each(['constructor', 'module-init', 'started'])(
    'stopApplication(5) from a provider %s: every service starts, then the app closes (teardown runs) and exits 5',
    async (where) => {
      worker = new WorkerProcess(SCENARIO, { SCENARIO: `stop-from-${where}`, EXIT_CODE: '5' });
      const exit = await worker.exited;
      expect(exit).toMatchObject({ code: 5, signal: null });
      expect(worker.output).toMatch(/Started 3 hosted services/);
      expect(worker.indexOf(/Stopping hosted services \(stopApplication\(5\) was called\)/)).toBeGreaterThan(
        worker.indexOf(/Started 3 hosted services/),
      );
      expect(worker.output).toMatch(/idle-1 stopped, resource open=true/);
      expect(worker.output).toMatch(/resource closed/); // Nest's teardown ran: the app was closed
      expect(worker.output).not.toMatch(/InvalidHostStateError|main failed/);
      // runHost was there to close it: no line may claim that nothing could.
      expect(worker.output).not.toMatch(/nothing can close/);
    },
  );

  it('a frozen provider with a teardown hook: the app starts (with a warning naming it), stops and exits by the signal', async () => {
    worker = new WorkerProcess(SCENARIO, { SCENARIO: 'frozen' });
    await worker.waitFor(/\[Scenario\] ready/);
    expect(worker.output).toMatch(
      /WARN \[Hosting\] Cannot make the teardown hooks of FROZEN wait for the hosted services to stop/,
    );
    worker.signal('SIGTERM');
    const exit = await worker.exited;
    expect(exit).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(worker.output).toMatch(/frozen destroyed/);
    expect(worker.output).toMatch(/resource closed/);
  });

  it('without runHost or shutdown hooks, an APM-style SIGTERM listener gets the signal and the library does nothing', async () => {
    worker = new WorkerProcess(SCENARIO, { SCENARIO: 'apm', HOOKS: 'off' });
    await worker.waitFor(/\[Scenario\] ready/);
    worker.signal('SIGTERM');
    await worker.waitFor(/apm flushed 1/);
    worker.signal('SIGTERM'); // not a "second signal": nothing was stopping
    await worker.waitFor(/apm still running 2/);
    expect(worker.output).not.toMatch(/Stopping hosted services|Forced by/);
    // Nobody listens to SIGINT: it ends the process as it would have without the library.
    worker.signal('SIGINT');
    expect(await worker.exited).toMatchObject({ code: null, signal: 'SIGINT' });
    expect(worker.output).not.toMatch(/Stopping hosted services/);
  });

  it('with Nest shutdown hooks enabled before and no runHost, a second signal during the stop forces 128+n', async () => {
    worker = new WorkerProcess(SCENARIO, { SCENARIO: 'slow-stop', RUN: 'plain' });
    await worker.waitFor(/slow running/);
    worker.signal('SIGTERM');
    await worker.waitFor(/slow still stopping 1/);
    worker.signal('SIGINT');
    const exit = await worker.exited;
    expect(exit).toMatchObject({ code: 130, signal: null });
    expect(worker.output).toMatch(/Forced by a second SIGINT; abandoned \d+ hosted services: SlowStop \(stop/);
  });

  it('runHost after enableShutdownHooks(): one close (teardown once), and a clean SIGTERM ends by the signal', async () => {
    worker = new WorkerProcess(SCENARIO, { SCENARIO: 'idle', RUN: 'both' });
    await worker.waitFor(/\[Scenario\] ready/);
    worker.signal('SIGTERM');
    const exit = await worker.exited;
    expect(exit).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(worker.lines.filter((l) => /resource closed/.test(l))).toHaveLength(1);
    expect(worker.lines.filter((l) => /Stopping hosted services/.test(l))).toHaveLength(1);
  });

  it("the application's own app.close() under runHost closes it once and ends the process (0)", async () => {
    worker = new WorkerProcess(SCENARIO, { SCENARIO: 'idle', USER_CLOSE: '1' });
    const exit = await worker.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(worker.lines.filter((l) => /resource closed/.test(l))).toHaveLength(1);
    expect(worker.output).toMatch(/Stopping hosted services \(the application is closing\)/);
  });

  it('a clean stop keeps an exit code the application set itself', async () => {
    worker = new WorkerProcess(SCENARIO, { SCENARIO: 'idle', USER_CLOSE: '1', PRE_EXITCODE: '3' });
    expect(await worker.exited).toMatchObject({ code: 3, signal: null });
  });

  it('a second runHost() in the same process is refused with MisconfigurationError; the first runs on and stops', async () => {
    worker = new WorkerProcess(SCENARIO, { SCENARIO: 'idle', SECOND_APP: '1' });
    await worker.waitFor(
      /second runHost: MisconfigurationError: runHost\(app\) is already running another application/,
    );
    worker.signal('SIGTERM');
    expect(await worker.exited).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(worker.output).toMatch(/idle-1 stopped, resource open=true/);
  });

  it('with enableShutdownHooks() then runHost, a SIGHUP (one of Nest’s signals) still stops gracefully and ends by it', async () => {
    worker = new WorkerProcess(SCENARIO, { SCENARIO: 'idle', RUN: 'both' });
    // Not at 'ready': a signal libuv caught for Nest's listener just before runHost replaced it is lost.
    await worker.waitFor(/runHost attached/);
    worker.signal('SIGHUP');
    expect(await worker.exited).toMatchObject({ code: null, signal: 'SIGHUP' });
    expect(worker.output).toMatch(/Stopping hosted services \(received SIGHUP\)/);
    expect(worker.output).toMatch(/resource closed/);
  });

  it('runHost(app) called before app.listen(), not awaited: one init, the server listens, SIGTERM stops it all', async () => {
    worker = new WorkerProcess(HTTP_FIRST);
    const port = Number(/listening on (\d+)/.exec(await worker.waitFor(/listening on \d+/))![1]);
    expect(await get(port)).toBe(404);
    worker.signal('SIGTERM');
    expect(await worker.exited).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(worker.output).not.toMatch(/main failed|InvalidHostStateError/);
    expect(worker.lines.filter((l) => /idle running/.test(l))).toHaveLength(1);
    expect(worker.output).toMatch(/idle stopped/);
    expect(worker.output).toMatch(/resource closed/);
    expect(await get(port)).toBe('ECONNREFUSED');
  });

  it('a SIGTERM after the start but before runHost() (main still in app.listen()) waits for runHost, which stops gracefully', async () => {
    worker = new WorkerProcess(SCENARIO, { SCENARIO: 'idle', RUNHOST_DELAY_MS: '200' });
    await worker.waitFor(/\[Scenario\] ready/);
    worker.signal('SIGTERM'); // runHost is still 200 ms away
    expect(await worker.exited).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(worker.indexOf(/Stopping hosted services \(received SIGTERM\)/)).toBeGreaterThan(
      worker.indexOf(/runHost attached/),
    );
    expect(worker.output).toMatch(/idle-1 stopped, resource open=true/);
    expect(worker.output).toMatch(/resource closed/);
  });
});
