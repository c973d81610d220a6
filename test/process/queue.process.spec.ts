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
  it.each([1, 3])('accounts for every accepted item, by id, with concurrency %i: processed + handed back = accepted', async (concurrency) => {
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
    expect(worker.output).toContain(`accepted ${accepted.length} = ${processed.length} succeeded + 0 failed + ${handedBack.length} handed back`);

    // The deadline (400 ms) cut the drain short, but nothing was abandoned: the queue handed its
    // items back and stopped, so the stop is clean (ends by the signal); and it was on time.
    expect(exit).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(exit.ms).toBeGreaterThanOrEqual(400);
    expect(exit.ms).toBeLessThan(400 + 1_000);
  });

  it('drains the queue completely when the budget allows, and ends cleanly by the signal', async () => {
    worker = new WorkerProcess(QUEUE_SAMPLE, { AUTO_ENQUEUE: '20', STEP_MS: '5', SHUTDOWN_MS: '10000', CONCURRENCY: '4' });
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
