import { expect } from '@jest/globals';
import { Exit, WorkerProcess } from '../process/spawn-worker';
import { Cell, cellName, DEADLINE_MS, expected, NEST_MAJOR } from './app-shape-cells';
import { refused } from './sockets';

// How a cell's process must have ended, and what it must have printed on the way (the fixture's
// `EVENT …` lines, test/process/fixtures/apps/events.ts).

export function checkExit(cell: Cell, app: WorkerProcess, exit: Exit): void {
  const want = expected(cell);
  const got = exit.signal ? { signal: exit.signal } : { code: exit.code! };
  const context = `${cellName(cell)}: ended with ${JSON.stringify(got)}; output:\n${app.output}`;
  if (want.ends === 'code') expect({ got, context }).toEqual({ got: { code: want.code }, context });
  else if (want.ends === 'signal') expect({ got, context }).toEqual({ got: { signal: want.signal }, context });
  else {
    const allowed = want.thenSigterm.some((w) => JSON.stringify(w) === JSON.stringify(got));
    expect({ allowed, context }).toEqual({ allowed: true, context });
  }
}

export async function checkRun(cell: Cell, app: WorkerProcess, exit: Exit, ports: number[]): Promise<void> {
  const out = app.output;
  expect(out).not.toMatch(/^EVENT main-failed/m);
  checkNest(app);
  // Whatever the ending, no server is left listening.
  for (const port of ports) expect(await refused(port)).toBe(true);
  if (cell.run === 'plain' && cell.hooks === 'none') {
    expect(out).not.toMatch(/^EVENT (stop-begin|dep-destroyed)/m); // the library stayed out of the way
    return;
  }
  expect(out).not.toMatch(/^EVENT dep-alive-during-stop value=false$/m);
  if (
    cell.run === 'plain' &&
    (cell.kind === 'context' || cell.kind === 'testing-context') &&
    ['fault', 'stop-service', 'stop-started', 'stop-controller'].includes(cell.cause)
  ) {
    // Nothing can close the app from inside on the plain path, and a context holds nothing open:
    // the hosted services stopped (their dependency alive), Nest's teardown never ran.
    expect(out).toMatch(/^EVENT dep-alive-during-stop value=true$/m);
    expect(out).toMatch(/nothing can close the Nest application/);
    expect(out).not.toMatch(/^EVENT dep-destroyed$/m);
    return;
  }
  if (cell.cause === 'second-signal') {
    expect(exit.ms).toBeLessThan(1_500); // at once (the forced hand-back has a 1 s budget)
    if (cell.queue) checkQueueBalance(app, 'forced');
    return;
  }
  // A graceful stop: the hosted services used their dependency while stopping, and Nest's teardown
  // (the dependency's onModuleDestroy, then the servers' close) ran after them, before the exit.
  expect(out).toMatch(/^EVENT dep-alive-during-stop value=true$/m);
  const hostedStopped = app.indexOf(/^EVENT hosted-stopped$/);
  expect(hostedStopped).toBeGreaterThanOrEqual(0);
  expect(app.indexOf(/^EVENT dep-destroyed$/)).toBeGreaterThan(hostedStopped);
  for (const port of ports) {
    const closed = app.indexOf(new RegExp(`^EVENT server-closed server=\\w+ port=${port} refused=true$`));
    expect({ port, closed: closed > hostedStopped }).toEqual({ port, closed: true });
  }
  if (cell.cause === 'deadline') {
    expect(exit.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    expect(exit.ms).toBeLessThan(DEADLINE_MS + 1_500);
    expect(out).toMatch(/Stubborn/); // the abandoned service is named
  }
  if (cell.cause === 'fault') expect(out).toMatch(/boom: the worker crashed/);
  if (cell.queue) checkQueueBalance(app, 'drained');
}

/** The Nest that loaded is this run's major, and on Nest 11 nothing came from the root (Nest 12) install. */
function checkNest(app: WorkerProcess): void {
  const ready = app.lines.find((l) => l.startsWith('EVENT ready '));
  if (!ready) return; // stop-started may end before `ready`
  const fields = Object.fromEntries(
    ready
      .split(' ')
      .slice(2)
      .map((kv) => kv.split('=') as [string, string]),
  );
  expect(fields.core.split('.')[0]).toBe(NEST_MAJOR);
  expect(fields.common.split('.')[0]).toBe(NEST_MAJOR);
  if (fields.platform) expect(fields.platform).toMatch(new RegExp(`@${NEST_MAJOR}\\.`));
  if (NEST_MAJOR === '11') {
    for (const root of fields.roots.split(',')) expect(root).toContain('/compat/nest11/node_modules/@nestjs/');
  }
}

/**
 * Every accepted item, by id, either completed or was handed back, exactly once. `forced`: a second
 * signal cut the drain short, so the rest was handed back with reason 'forced' and named in one
 * error log line. `drained`: the budget let the queue run everything.
 */
function checkQueueBalance(app: WorkerProcess, how: 'forced' | 'drained'): void {
  const accepted = matches(app.lines, /^EVENT accepted id=(\S+)$/).map((m) => m[1]);
  const done = matches(app.lines, /^EVENT done id=(\S+)$/).map((m) => m[1]);
  const handedBack = matches(app.lines, /^EVENT unprocessed id=(\S+) reason=(\S+) started=(\S+)$/);
  expect(accepted.length).toBeGreaterThan(10); // under load
  expect(new Set(accepted).size).toBe(accepted.length);
  const accounted = [...done, ...handedBack.map((m) => m[1])].sort();
  expect({ accounted }).toEqual({ accounted: [...accepted].sort() });
  if (how === 'drained') {
    expect(handedBack).toEqual([]);
    return;
  }
  expect(handedBack.length).toBeGreaterThan(0);
  expect(handedBack.map((m) => m[2])).toEqual(handedBack.map(() => 'forced'));
  const namesAll = (line: string): boolean => handedBack.every((m) => new RegExp(`\\b${m[1]}\\b`).test(line));
  const named = app.lines.filter((l) => / ERROR /.test(l) && namesAll(l));
  expect({ errorLineNamingEveryItem: named.length }).toEqual({ errorLineNamingEveryItem: 1 });
}

function matches(lines: readonly string[], re: RegExp): RegExpExecArray[] {
  return lines.map((l) => re.exec(l)).filter((m): m is RegExpExecArray => m !== null);
}
