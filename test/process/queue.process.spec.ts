import { afterEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { WorkerProcess } from './spawn-worker';

const QUEUE_SAMPLE = join(__dirname, '..', '..', 'dist-sample', 'sample', 'queue', 'main.js');

let worker: WorkerProcess | undefined;
afterEach(() => worker?.dispose());

function ids(lines: string[], re: RegExp): string[] {
  return lines.map((l) => re.exec(l)?.[1]).filter((id): id is string => id !== undefined);
}

describe('queue sample under SIGTERM (real process)', () => {
  it.each([1, 3])(
    'accounts for every accepted item, by id, with concurrency %i: processed + handed back = accepted',
    async (concurrency) => {
      // 300 items of 3 x 15 ms with backpressure at 100: far more than fits in the 400 ms budget.
      worker = new WorkerProcess(QUEUE_SAMPLE, {
        AUTO_ENQUEUE: '300',
        STEP_MS: '15',
        SHUTDOWN_MS: '400',
        CONCURRENCY: String(concurrency),
      });
      await worker.waitFor(/Queued Background Task \w+ is complete\./);
      worker.signal('SIGTERM');
      const exit = await worker.exited;

      const accepted = ids(worker.lines, /\[MonitorLoop\] accepted (\w+)$/);
      const completed = ids(worker.lines, /Queued Background Task (\w+) is complete\./);
      const cancelled = ids(worker.lines, /Queued Background Task (\w+) was cancelled\./);
      const handedBack = ids(worker.lines, /handed back (\w+) \(shutdown/);
      const processed = [...completed, ...cancelled.filter((id) => !handedBack.includes(id))];

      expect(accepted.length).toBeGreaterThan(100); // the queue was busy
      expect(handedBack.length).toBeGreaterThan(0); // and the deadline cut it short
      expect(new Set(accepted).size).toBe(accepted.length); // no id accepted twice
      expect([...processed, ...handedBack].sort()).toEqual([...accepted].sort()); // each exactly once
      expect(completed.filter((id) => handedBack.includes(id))).toEqual([]); // a completed item is never handed back
      // The queue's own books agree with the ids (an item that stopped on its signal and returned counts as succeeded).
      expect(worker.output).toContain(
        `accepted ${accepted.length} = ${processed.length} succeeded + 0 failed + ${handedBack.length} handed back`,
      );

      // The deadline (400 ms) cut the drain short, but nothing was abandoned: the queue handed its
      // items back and stopped, so the stop is clean (ends by the signal); and it was on time.
      expect(exit).toMatchObject({ code: null, signal: 'SIGTERM' });
      expect(exit.ms).toBeGreaterThanOrEqual(400);
      expect(exit.ms).toBeLessThan(400 + 1_000);
    },
  );

  it('a second SIGTERM during the drain forces the exit, and still accounts for every accepted item, by id: the rest is handed back as forced', async () => {
    // A drain that would take seconds (10 s budget); the second signal comes well into it.
    worker = new WorkerProcess(QUEUE_SAMPLE, {
      AUTO_ENQUEUE: '300',
      STEP_MS: '15',
      SHUTDOWN_MS: '10000',
      CONCURRENCY: '3',
    });
    await worker.waitFor(/Queued Background Task \w+ is complete\./);
    worker.signal('SIGTERM');
    await worker.waitFor(/Stopping hosted services/);
    // Wait for an item 30 places further in the queue to complete: the drain is well under way,
    // and the second signal comes long after the first (a repeat within 250 ms is the same signal).
    const acceptedSoFar = ids(worker.lines, /\[MonitorLoop\] accepted (\w+)$/);
    const lastDone = ids(worker.lines, /Queued Background Task (\w+) is complete\./).at(-1)!;
    const target = acceptedSoFar[acceptedSoFar.indexOf(lastDone) + 30];
    expect(target).toBeDefined();
    await worker.waitFor(new RegExp(`Queued Background Task ${target} is complete\\.`));
    worker.signal('SIGTERM');
    const exit = await worker.exited;

    const accepted = ids(worker.lines, /\[MonitorLoop\] accepted (\w+)$/);
    const completed = ids(worker.lines, /Queued Background Task (\w+) is complete\./);
    const cancelled = ids(worker.lines, /Queued Background Task (\w+) was cancelled\./);
    const forced = ids(worker.lines, /handed back (\w+) \(forced/);
    const shutdown = ids(worker.lines, /handed back (\w+) \(shutdown/);
    const handedBack = [...forced, ...shutdown];
    const processed = [...completed, ...cancelled.filter((id) => !handedBack.includes(id))];

    expect(forced.length).toBeGreaterThan(0); // the forced exit cut the drain short
    expect(new Set(accepted).size).toBe(accepted.length);
    expect([...processed, ...handedBack].sort()).toEqual([...accepted].sort()); // each exactly once
    expect(completed.filter((id) => handedBack.includes(id))).toEqual([]);
    // One error line names them all, with the balance, before the process ends.
    const line = worker.lines.find((l) =>
      l.includes(`Queue "default": forced exit by SIGTERM: ${forced.length} work item(s) not completed`),
    );
    expect(line).toBeDefined();
    for (const id of forced) expect(line).toContain(id);
    expect(line).toContain(
      `accepted ${accepted.length} = ${processed.length} succeeded + 0 failed + ${handedBack.length} handed back (${forced.length} forced)`,
    );
    expect(exit).toMatchObject({ code: 128 + 15 }); // forced by SIGTERM
  });

  it('drains the queue completely when the budget allows, and ends cleanly by the signal', async () => {
    worker = new WorkerProcess(QUEUE_SAMPLE, {
      AUTO_ENQUEUE: '20',
      STEP_MS: '5',
      SHUTDOWN_MS: '10000',
      CONCURRENCY: '4',
    });
    await worker.waitFor(/accepted \w+/);
    worker.signal('SIGTERM');
    const exit = await worker.exited;
    const accepted = ids(worker.lines, /\[MonitorLoop\] accepted (\w+)$/);
    const completed = ids(worker.lines, /Queued Background Task (\w+) is complete\./);
    expect(completed.sort()).toEqual(accepted.sort());
    expect(worker.output).not.toMatch(/handed back \w+ \(/);
    expect(exit).toMatchObject({ code: null, signal: 'SIGTERM' });
  });
});
