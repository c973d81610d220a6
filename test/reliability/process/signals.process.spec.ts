import { describe, expect, it } from '@jest/globals';
import { constants } from 'node:os';

import { sleep } from '../support/harness';
import { Random, seeded } from '../support/random';
import { events, Exit, ids, useWorkers, WorkerProcess } from './reliability-process';

// SIGTERM and SIGINT at random points of a real worker's life (startup, idle, mid-work,
// mid-shutdown, a startup that hangs past startupTimeout), with the fixture
// test/reliability/fixtures/signal-worker.ts. The points are drawn from a printed seed
// (RELIABILITY_SEED replays them). Whatever the point, the worker must exit within its bound, with
// the status that point deserves, having stopped (in reverse) every service whose start completed.

const FILE = 'test/reliability/process/signals.process.spec.ts';
const SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
const BOUND_MS = 1_000;

const forcedCode = (signal: NodeJS.Signals): number => 128 + constants.signals[signal];

/** Every service whose start completed was stopped, in reverse, while its dependency was still open. */
function expectStoppedInReverse(worker: WorkerProcess): void {
  const started = ids(worker, 'start-done');
  expect(ids(worker, 'stop-done')).toEqual([...started].reverse());
  expect(events(worker, 'stop-done').every((e) => e.args[1] === 'true')).toBe(true);
  // A service whose start never completed is never stopped.
  for (const name of [
    ...ids(worker, 'start-aborted'),
    ...ids(worker, 'start-begin').filter((s) => !started.includes(s)),
  ]) {
    expect(ids(worker, 'stop-begin')).not.toContain(name);
  }
}

function describeRun(details: Record<string, unknown>, exit: Exit): string {
  return `${JSON.stringify(details)} → exit ${JSON.stringify({ code: exit.code, signal: exit.signal, ms: Math.round(exit.ms) })}`;
}

describe('signals at random points, in real processes', () => {
  const workers = useWorkers();

  const run = (name: string, body: (random: Random) => Promise<void>): void => {
    it(name, () => seeded(FILE, name, body), 30_000);
  };

  run(
    'during startup (3 draws): cancelled and rolled back, or a clean stop once started; never a hang',
    async (random) => {
      for (let draw = 0; draw < 3; draw++) {
        const signal = random.pick(SIGNALS);
        const delay = random.int(0, 800);
        const worker = workers.spawn('signal-worker', { SERVICES: '4', START_MS: '150', SHUTDOWN_MS: '2000' });
        await worker.waitFor(/\[Fixture\] bootstrap/);
        await sleep(delay);
        worker.signal(signal);
        const exit = await worker.exited;
        const context = describeRun({ draw, signal, delay }, exit);
        expect(exit.ms).toBeLessThan(2_000 + BOUND_MS);
        if (ids(worker, 'start-begin').length === 0) {
          // Before the host armed its listener (Nest still loading): Node's default action, nothing ran.
          expect({ context, code: exit.code, signal: exit.signal }).toEqual({ context, code: null, signal });
        } else if (worker.output.includes('Startup of the hosted services was cancelled')) {
          expect(worker.output).toContain(`Startup of the hosted services was cancelled: received ${signal}`);
          expect({ context, code: exit.code }).toEqual({ context, code: forcedCode(signal) });
        } else {
          expect(worker.output).toMatch(/\[Fixture\] ready/);
          expect({ context, code: exit.code, signal: exit.signal }).toEqual({ context, code: null, signal });
        }
        expectStoppedInReverse(worker);
      }
    },
  );

  run('while idle (2 draws): a clean stop that ends by the signal', async (random) => {
    for (let draw = 0; draw < 2; draw++) {
      const signal = random.pick(SIGNALS);
      const delay = random.int(0, 300);
      const worker = workers.spawn('signal-worker', { SERVICES: '3' });
      await worker.waitFor(/\[Fixture\] ready/);
      await sleep(delay);
      worker.signal(signal);
      const exit = await worker.exited;
      expect({ context: describeRun({ draw, signal, delay }, exit), code: exit.code, signal: exit.signal }).toEqual({
        context: expect.any(String),
        code: null,
        signal,
      });
      expect(exit.ms).toBeLessThan(BOUND_MS);
      expect(ids(worker, 'start-done')).toEqual(['S1', 'S2', 'S3']);
      expectStoppedInReverse(worker);
      expect(events(worker, 'resource-closed')).toHaveLength(1);
    }
  });

  run(
    'mid-work (3 draws): every accepted item processed or handed back, by id; every scope disposed',
    async (random) => {
      for (let draw = 0; draw < 3; draw++) {
        const signal = random.pick(SIGNALS);
        const delay = random.int(100, 600);
        const shutdownMs = random.pick([20, 60, 150, 400]);
        const worker = workers.spawn('signal-worker', {
          SERVICES: '1',
          BUSY: '1',
          SHUTDOWN_MS: String(shutdownMs),
          SEED: String(random.int(1, 1e9)),
        });
        await worker.waitFor(/\[Fixture\] ready/);
        await sleep(delay);
        worker.signal(signal);
        const exit = await worker.exited;
        const context = describeRun({ draw, signal, delay, shutdownMs }, exit);
        // Nothing is abandoned (the items honour their signal): a clean stop, within the budget.
        expect({ context, code: exit.code, signal: exit.signal }).toEqual({ context, code: null, signal });
        expect(exit.ms).toBeLessThan(shutdownMs + BOUND_MS);

        const accepted = ids(worker, 'accepted');
        const handedBack = ids(worker, 'handed-back');
        const processed = ids(worker, 'ran', (a) => a[1] === 'ok' || a[1] === 'threw');
        const aborted = ids(worker, 'ran', (a) => a[1] === 'aborted');
        expect(accepted.length).toBeGreaterThan(0);
        expect(new Set(accepted).size).toBe(accepted.length); // no id accepted twice
        expect(processed.filter((id) => handedBack.includes(id))).toEqual([]); // a finished item is never handed back
        expect([...processed, ...handedBack].sort()).toEqual([...accepted].sort()); // each accepted item exactly once
        expect(aborted.filter((id) => !handedBack.includes(id))).toEqual([]); // cut short means handed back
        for (const id of ids(worker, 'refused')) expect(accepted).not.toContain(id);

        // The queue's own books agree.
        const books = events(worker, 'books')[0].args;
        expect(books).toEqual([
          `accepted=${accepted.length}`,
          `succeeded=${ids(worker, 'ran', (a) => a[1] === 'ok').length}`,
          `failed=${ids(worker, 'ran', (a) => a[1] === 'threw').length}`,
          `handedBack=${handedBack.length}`,
          'pending=0',
          'running=0',
        ]);
        // Every unit of work's scope was disposed, except those of items cut off at the deadline, whose
        // disposal may still be under way (the host stops waiting for them, by design).
        const [created, disposed] = events(worker, 'scopes')[0].args.map((a) => Number(a.split('=')[1]));
        const cutOff = events(worker, 'handed-back').filter((e) => e.args[1] === 'true').length;
        expect(disposed).toBeLessThanOrEqual(created);
        expect(created - disposed).toBeLessThanOrEqual(cutOff);
        expectStoppedInReverse(worker);
      }
    },
  );

  run(
    'mid-shutdown (3 draws): a second signal escalates, exits 128+n at once and names what it abandoned',
    async (random) => {
      for (let draw = 0; draw < 3; draw++) {
        const first = random.pick(SIGNALS);
        const second = random.pick(SIGNALS);
        // The same signal again within 250 ms is one signal delivered twice (npm forwards Ctrl+C).
        const delay = second === first ? random.int(300, 1_500) : random.int(20, 1_500);
        const worker = workers.spawn('signal-worker', { SERVICES: '3', SLOW_STOP_MS: '2500', SHUTDOWN_MS: '10000' });
        await worker.waitFor(/\[Fixture\] ready/);
        worker.signal(first);
        await worker.waitFor(/\[Fixture\] stop-begin Slow/);
        await sleep(delay);
        worker.signal(second);
        const exit = await worker.exited;
        const context = describeRun({ draw, first, second, delay }, exit);
        expect({ context, code: exit.code, signal: exit.signal }).toEqual({
          context,
          code: forcedCode(second),
          signal: null,
        });
        expect(exit.ms).toBeLessThan(BOUND_MS);
        expect(worker.output).toMatch(
          new RegExp(`Forced by a second ${second}; abandoned \\d+ hosted services?: Slow \\(stop, running for`),
        );
        // Abandoned, not awaited: if Slow honours the abort during the forced exit's short hand-back
        // window, that only happens after the report named it.
        const slowDone = events(worker, 'stop-done').find((e) => e.args[0] === 'Slow');
        expect(slowDone === undefined || slowDone.line > worker.indexOf(/Forced by a second/)).toBe(true);
      }
    },
  );

  run('mid-shutdown: the same signal twice within 250 ms counts as one, and the stop completes', async (random) => {
    const signal = random.pick(SIGNALS);
    const delay = random.int(0, 120);
    const worker = workers.spawn('signal-worker', { SERVICES: '2', SLOW_STOP_MS: '600', SHUTDOWN_MS: '10000' });
    await worker.waitFor(/\[Fixture\] ready/);
    worker.signal(signal);
    await sleep(delay);
    worker.signal(signal);
    const exit = await worker.exited;
    expect({ context: describeRun({ signal, delay }, exit), code: exit.code, signal: exit.signal }).toEqual({
      context: expect.any(String),
      code: null,
      signal,
    });
    expect(worker.output).not.toMatch(/Forced by a second/);
    expectStoppedInReverse(worker);
    expect(ids(worker, 'stop-done')).toEqual(['Slow', 'S2', 'S1']);
  });

  run(
    'during a startup that hangs past startupTimeout (3 draws): cancelled, or timed out; the rollback always completes',
    async (random) => {
      for (let draw = 0; draw < 3; draw++) {
        const signal = random.pick(SIGNALS);
        const delay = random.int(0, 1_100); // startupTimeout 500, then a ~600 ms rollback
        const worker = workers.spawn('signal-worker', {
          SERVICES: '2',
          STOP_MS: '300',
          HUNG_START: '1',
          STARTUP_MS: '500',
        });
        await worker.waitFor(/\[Fixture\] start-begin Hung/);
        await sleep(delay);
        worker.signal(signal);
        const exit = await worker.exited;
        const context = describeRun({ draw, signal, delay }, exit);
        if (worker.output.includes('did not start within startupTimeout')) {
          // Timed out first: a failed startup (main sets 1), whatever the signal did during the rollback.
          // (A signal that lands after the rollback, as the process exits, ends it by the default action.)
          const lateKill = exit.code === null && exit.signal === signal && worker.output.includes('main-failed');
          if (!lateKill) expect({ context, code: exit.code }).toEqual({ context, code: 1 });
        } else {
          expect(worker.output).toContain(`Startup of the hosted services was cancelled: received ${signal}`);
          expect({ context, code: exit.code }).toEqual({ context, code: forcedCode(signal) });
        }
        expect(ids(worker, 'start-done')).toEqual(['S1', 'S2']);
        expectStoppedInReverse(worker);
        expect(ids(worker, 'stop-begin')).not.toContain('Hung');
      }
    },
  );

  it('a first SIGTERM during the rollback of a timed-out startup lets the rollback finish (exit 1)', async () => {
    const worker = workers.spawn('signal-worker', {
      SERVICES: '2',
      STOP_MS: '300',
      HUNG_START: '1',
      STARTUP_MS: '300',
    });
    await worker.waitFor(/\[Fixture\] stop-begin S2/); // the rollback has begun: S2, then S1, 300 ms each
    await sleep(100);
    worker.signal('SIGTERM');
    const exit = await worker.exited;
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 1, signal: null });
    expect(exit.ms).toBeLessThan(600 + BOUND_MS);
    expect(ids(worker, 'stop-done')).toEqual(['S2', 'S1']);
  });

  it('a second signal during the rollback of a cancelled startup forces the exit (128+n)', async () => {
    const worker = workers.spawn('signal-worker', { SERVICES: '2', STOP_MS: '1500', HUNG_START: '1' });
    await worker.waitFor(/\[Fixture\] start-begin Hung/);
    worker.signal('SIGTERM'); // cancels the startup: S2 then S1 roll back, slowly
    await worker.waitFor(/\[Fixture\] stop-begin S2/);
    await sleep(300);
    worker.signal('SIGINT');
    const exit = await worker.exited;
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: forcedCode('SIGINT'), signal: null });
    expect(exit.ms).toBeLessThan(BOUND_MS);
    expect(worker.output).toMatch(
      /Forced by a second SIGINT; abandoned \d+ hosted services?: .*S2 \(stop, running for/,
    );
  });
});
