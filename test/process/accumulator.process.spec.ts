import { afterEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { WorkerProcess } from './spawn-worker';

const ACCUMULATOR = join(__dirname, '..', '..', 'dist-sample', 'sample', 'accumulator', 'main.js');

let worker: WorkerProcess | undefined;
afterEach(() => worker?.dispose());

describe('accumulator sample (real process)', () => {
  it('persists every reading the producers got accepted, in scoped batches, when stopped mid-stream', async () => {
    worker = new WorkerProcess(ACCUMULATOR, { PRODUCE_EVERY_MS: '2', BATCH_SIZE: '25', FLUSH_MS: '100' });
    await worker.waitFor(/repository #3: committed/);
    worker.signal('SIGINT');
    const exit = await worker.exited;
    expect(exit).toMatchObject({ code: null, signal: 'SIGINT' });
    const produced = [...worker.output.matchAll(/: produced (\d+) readings/g)].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
    const persisted = Number(/persisted (\d+) readings in (\d+) batches/.exec(worker.output)?.[1]);
    const commits = [...worker.output.matchAll(/repository #(\d+): committed (\d+) readings/g)];
    expect(produced).toBeGreaterThan(0);
    expect(persisted).toBe(produced);
    expect(commits.reduce((sum, m) => sum + Number(m[2]), 0)).toBe(produced); // every batch committed by its own repository
    expect(new Set(commits.map((m) => m[1])).size).toBe(commits.length); // one repository instance per batch
  });
});
