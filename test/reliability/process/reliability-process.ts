import { afterAll, afterEach, beforeAll } from '@jest/globals';

import { WorkerProcess } from '../../process/spawn-worker';
import { buildFixtures } from '../support/build-fixtures';

export { Exit, WorkerProcess } from '../../process/spawn-worker';

/** One parsed `[Fixture] <event> <args…>` line. */
export interface FixtureEvent {
  readonly name: string;
  readonly args: string[];
  /** Index of the line in the worker's output (for order assertions). */
  readonly line: number;
}

/** The `[Fixture]` events a worker logged, in order. */
export function events(worker: WorkerProcess, name?: string): FixtureEvent[] {
  const found: FixtureEvent[] = [];
  worker.lines.forEach((text, line) => {
    const match = /\[Fixture\] (\S+)(.*)$/.exec(text);
    if (!match) return;
    const event = { name: match[1], args: match[2].trim().split(' ').filter(Boolean), line };
    if (name === undefined || event.name === name) found.push(event);
  });
  return found;
}

/** The first argument of each `name` event (ids, service names). */
export function ids(worker: WorkerProcess, name: string, filter?: (args: string[]) => boolean): string[] {
  return events(worker, name)
    .filter((e) => !filter || filter(e.args))
    .map((e) => e.args[0]);
}

/**
 * Builds the reliability fixtures once per spec file (tsc, cached across runs by source hash),
 * and spawns workers from them. Every worker has a bound: if it is still running then, it is
 * SIGKILLed and its `exited` rejects, so a hang fails the test instead of hanging the suite. Any
 * worker a test leaves running is killed after it.
 */
export function useWorkers(): {
  spawn(fixture: 'fault-worker' | 'signal-worker', env: Record<string, string>, boundMs?: number): WorkerProcess;
} {
  let built: ReturnType<typeof buildFixtures> | undefined;
  const running = new Set<WorkerProcess>();
  beforeAll(() => {
    built = buildFixtures();
  }, 120_000);
  afterEach(() => {
    for (const worker of running) worker.dispose();
    running.clear();
  });
  afterAll(() => {
    for (const worker of running) worker.dispose();
  });
  return {
    spawn(fixture, env, boundMs = 10_000) {
      if (!built) throw new Error('the fixtures are not built (beforeAll failed)');
      const worker = new WorkerProcess(built.fixture(fixture), { ...built.env, ...env }, boundMs);
      running.add(worker);
      return worker;
    },
  };
}

/** Runs `tasks` with at most `limit` at once (each spawns a worker: keep the CPU for timing). */
export async function limited<T>(limit: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
  return results;
}
