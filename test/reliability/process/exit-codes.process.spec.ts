import { describe, expect, it } from '@jest/globals';

import { events, useWorkers, WorkerProcess } from './reliability-process';

// The README's exit-code table, proven on real processes: a worker with one faulty hosted service
// (test/reliability/fixtures/fault-worker.ts) between two healthy ones, shutdown hooks on.
// Each row checks the exit status, the line naming the culprit, that the services which started
// were stopped in reverse, and that the exit came within shutdownTimeout plus the bound.

const SHUTDOWN_MS = 800;
/** The documented bound over shutdownTimeout (measured ~20 ms; generous for a loaded CI box). */
const BOUND_MS = 1_000;

interface Row {
  name: string;
  env: Record<string, string>;
  /** Signal sent once the worker is ready (none: the worker stops, or fails, on its own). */
  send?: NodeJS.Signals;
  exit: { code: number | null; signal: NodeJS.Signals | null };
  /** Lines that must appear (the culprit, named). */
  says: RegExp[];
  /** Did startup complete (so Nest's teardown, and the resource's close, run)? */
  startup: 'completes' | 'fails';
}

const fault = (phase: string, kind: string, extra: Record<string, string> = {}): Record<string, string> => ({
  FAULT_PHASE: phase,
  FAULT_KIND: kind,
  ...extra,
});

const ROWS: Row[] = [
  // Clean stops.
  {
    name: 'a clean SIGTERM ends by the signal, as Nest does',
    env: fault('none', 'throws'),
    send: 'SIGTERM',
    exit: { code: null, signal: 'SIGTERM' },
    says: [],
    startup: 'completes',
  },
  {
    name: 'a clean SIGINT ends by the signal',
    env: fault('none', 'throws'),
    send: 'SIGINT',
    exit: { code: null, signal: 'SIGINT' },
    says: [],
    startup: 'completes',
  },
  {
    name: 'a clean SIGTERM with useProcessExit exits 0',
    env: fault('none', 'throws', { PROCESS_EXIT: 'on' }),
    send: 'SIGTERM',
    exit: { code: 0, signal: null },
    says: [],
    startup: 'completes',
  },
  {
    name: 'a stop hook that enqueues while stopping gets QueueClosedError; the stop stays clean',
    env: fault('stop', 'enqueues'),
    send: 'SIGTERM',
    exit: { code: null, signal: 'SIGTERM' },
    says: [/enqueue-refused stop HOSTING_QUEUE_CLOSED/],
    startup: 'completes',
  },
  // stopApplication(code).
  {
    name: 'stopApplication(3) from a started hook exits 3',
    env: fault('started', 'stopApplication'),
    exit: { code: 3, signal: null },
    says: [/Stopping hosted services \(stopApplication\(3\) was called\)/],
    startup: 'completes',
  },
  {
    name: 'stopApplication(3) from a stop hook during a SIGTERM shutdown exits 3',
    env: fault('stop', 'stopApplication'),
    send: 'SIGTERM',
    exit: { code: 3, signal: null },
    says: [],
    startup: 'completes',
  },
  // Faults: 1.
  {
    name: 'a start that throws fails bootstrap() (left unhandled, as in a typical main.ts): 1',
    env: fault('start', 'throws', { BOOTSTRAP: 'unhandled' }),
    exit: { code: 1, signal: null },
    says: [/ERROR \[Hosting\] Faulty: start failed: Error: Faulty failed in start/],
    startup: 'fails',
  },
  {
    name: 'a starting hook that throws a non-Error value: 1',
    env: fault('starting', 'throwsNonError'),
    exit: { code: 1, signal: null },
    says: [/Faulty: starting failed: non-Error value thrown: a plain string thrown by starting/],
    startup: 'fails',
  },
  {
    name: 'a start that hangs past startupTimeout: 1, naming it',
    env: fault('start', 'neverSettles', { STARTUP_MS: '400' }),
    exit: { code: 1, signal: null },
    says: [
      /HostStartTimeoutError: Hosted services did not start within startupTimeout \(400ms\); still starting: Faulty \(start, \d+ms\)/,
    ],
    startup: 'fails',
  },
  {
    name: 'a stopping hook that throws: 1',
    env: fault('stopping', 'throws'),
    send: 'SIGTERM',
    exit: { code: 1, signal: null },
    says: [/Faulty: stopping failed: Error: Faulty failed in stopping/],
    startup: 'completes',
  },
  {
    name: 'a stop that rejects: 1',
    env: fault('stop', 'rejects'),
    send: 'SIGTERM',
    exit: { code: 1, signal: null },
    says: [/Faulty: stop failed: Error: Faulty failed in stop/],
    startup: 'completes',
  },
  {
    name: 'a stopped hook that throws a non-Error value: 1',
    env: fault('stopped', 'throwsNonError'),
    send: 'SIGINT',
    exit: { code: 1, signal: null },
    says: [/Faulty: stopped failed: non-Error value thrown/],
    startup: 'completes',
  },
  {
    name: 'an execute that throws synchronously stops the app by itself: 1',
    env: fault('execute', 'throws'),
    exit: { code: 1, signal: null },
    says: [
      /ERROR \[Hosting\] Background service FaultyWorker failed: Error: Faulty failed in execute/,
      /FATAL \[Hosting\] Background service FaultyWorker failed/,
    ],
    startup: 'completes',
  },
  {
    name: 'an execute that throws a non-Error value: 1',
    env: fault('execute', 'throwsNonError'),
    exit: { code: 1, signal: null },
    says: [/Background service FaultyWorker failed: non-Error value thrown: a plain string/],
    startup: 'completes',
  },
  // The deadline: 124.
  {
    name: 'a stop that never settles: 124, naming it',
    env: fault('stop', 'neverSettles'),
    send: 'SIGTERM',
    exit: { code: 124, signal: null },
    says: [/Shutdown deadline of 800ms exceeded; abandoned 1 hosted service: Faulty \(stop, running for \d+ms\)/],
    startup: 'completes',
  },
  {
    name: 'a stopping hook that ignores its abort signal: 124',
    env: fault('stopping', 'ignoresAbort'),
    send: 'SIGINT',
    exit: { code: 124, signal: null },
    says: [/abandoned 1 hosted service: Faulty \(stopping, running for \d+ms\)/],
    startup: 'completes',
  },
  {
    name: 'an execute that ignores its stopping signal: 124',
    env: fault('execute', 'ignoresAbort'),
    send: 'SIGTERM',
    exit: { code: 124, signal: null },
    says: [/abandoned 1 hosted service: FaultyWorker \(execute, running for \d+ms\)/],
    startup: 'completes',
  },
  {
    name: 'a hung stop when Nest exits the process itself (useProcessExit): still 124',
    env: fault('stop', 'neverSettles', { PROCESS_EXIT: 'on' }),
    send: 'SIGTERM',
    exit: { code: 124, signal: null },
    says: [/abandoned 1 hosted service: Faulty \(stop/],
    startup: 'completes',
  },
];

/** Services in start order, from the `call <S> start` lines. */
function startOrder(worker: WorkerProcess): string[] {
  return events(worker, 'call')
    .filter((e) => e.args[1] === 'start')
    .map((e) => e.args[0]);
}

describe('exit codes in real processes (the README table)', () => {
  const workers = useWorkers();

  it.each(ROWS)('$name', async (row) => {
    const worker = workers.spawn('fault-worker', { SHUTDOWN_MS: String(SHUTDOWN_MS), ...row.env });
    if (row.send) {
      await worker.waitFor(/\[Fixture\] ready/);
      worker.signal(row.send);
    }
    const exit = await worker.exited;
    expect({ code: exit.code, signal: exit.signal }).toEqual(row.exit);
    for (const line of row.says) expect(worker.output).toMatch(line);
    if (row.send) expect(exit.ms).toBeLessThan(SHUTDOWN_MS + BOUND_MS);

    // Every service whose start completed was stopped, in reverse; the others never were.
    const hooks = events(worker, 'call');
    const completedStarts = startOrder(worker).filter(
      (s) => !(row.startup === 'fails' && row.env.FAULT_PHASE === 'start' && s === 'Faulty'),
    );
    const stops = hooks.filter((e) => e.args[1] === 'stop').map((e) => e.args[0]);
    expect(stops).toEqual([...completedStarts].reverse());
    if (row.startup === 'completes') expect(stops).toHaveLength(3);
    if (row.startup === 'completes') {
      // Nest's teardown (the resource) ran only after every hosted service had stopped.
      const closed = events(worker, 'resource-closed');
      expect(closed).toHaveLength(1);
      expect(closed[0].line).toBeGreaterThan(Math.max(...hooks.map((h) => h.line)));
    }
  });
});
