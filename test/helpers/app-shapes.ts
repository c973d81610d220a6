import { expect } from '@jest/globals';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Cause, Hooks, Kind, Run } from '../process/fixtures/apps/config';
import { Exit, WorkerProcess } from '../process/spawn-worker';

// The app-shape matrix's driver: spawns test/process/fixtures/apps/app.ts as one cell describes,
// brings about the cell's cause, and checks how the process ended against the contract of
// `runHost(app)` and of Nest's plain path (README, "Running an application").

const ROOT = join(__dirname, '..', '..');
/**
 * Compiled by `npm run build:sample`. APP_SHAPES_OUT_DIR names another output directory of
 * tsconfig.sample.json inside the repository (e.g. `coverage/app-shapes`), for a run that a
 * concurrent `build:sample` must not pull the files from under.
 */
const OUT_DIR = process.env.APP_SHAPES_OUT_DIR ? join(ROOT, process.env.APP_SHAPES_OUT_DIR) : join(ROOT, 'dist-sample');
export const APP = join(OUT_DIR, 'test', 'process', 'fixtures', 'apps', 'app.js');
/** `node --require` hook that loads NestJS 11 from compat/nest11 into a spawned app. */
export const NEST11_RESOLVER = join(__dirname, 'nest11-resolver.cjs');
/** The Nest major of this Jest run (`globals.__NEST_MAJOR__` of the config). */
export const NEST_MAJOR: '11' | '12' =
  (globalThis as { __NEST_MAJOR__?: string }).__NEST_MAJOR__ === '11' ? '11' : '12';

export interface Cell {
  kind: Kind;
  run: Run;
  hooks: Hooks;
  cause: Cause;
  /** A BackgroundTaskQueue under load from a producer. */
  queue?: boolean;
  /** The signal of the signal causes (default: SIGINT for 'sigint', SIGTERM otherwise). */
  signal?: 'SIGINT' | 'SIGTERM';
  /** Also one of the smaller Nest 11 leg's cells. */
  nest11?: boolean;
}

export const HTTP_KINDS: readonly Kind[] = ['express', 'fastify', 'hybrid', 'testing'];
const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15 } as const;
const STOP_CODES: Partial<Record<Cause, number>> = { 'stop-service': 3, 'stop-controller': 4, 'stop-started': 5 };
const DEADLINE_MS = 500;
/** A spawned app outstaying this is killed and fails its cell. */
const BOUND_MS = 15_000;
/**
 * How many cells of one test file run their process at once. Startup is nearly all CPU (about
 * 1 s for Nest 12), so more would only slow each other down on 2 cores; jest runs two files at once.
 */
const PROCESSES_PER_FILE = 2;
/** Jest's timeout for one cell: its turn (behind at most jest's 5 concurrent tests), its bound, the checks. */
export const CELL_TIMEOUT_MS = 3 * BOUND_MS + 5_000;

export function cellName(cell: Cell): string {
  const extras = [cell.queue ? '+queue' : '', cell.signal && cell.cause === 'second-signal' ? `(${cell.signal})` : ''];
  return `${cell.kind} ${cell.run} hooks=${cell.hooks} ${cell.cause}${extras.join('')}`;
}

/** Cells of this Jest run: all of them on Nest 12, the ones marked `nest11` on Nest 11. */
export function forThisNest(cells: readonly Cell[]): Array<[string, Cell]> {
  return cells.filter((c) => NEST_MAJOR === '12' || c.nest11).map((c) => [cellName(c), c]);
}

/** What the contract says the process does for a cell. */
type Expected =
  | { ends: 'code'; code: number }
  | { ends: 'signal'; signal: NodeJS.Signals }
  /** Plain path: stopApplication()/a fault stops only the hosted services; the app stays open. */
  | { ends: 'stays-open'; thenSigterm: ReadonlyArray<{ code: number } | { signal: NodeJS.Signals }> };

function signalOf(cell: Cell): 'SIGINT' | 'SIGTERM' {
  return cell.signal ?? (cell.cause === 'sigint' ? 'SIGINT' : 'SIGTERM');
}

export function expected(cell: Cell): Expected {
  const signal = signalOf(cell);
  if (cell.run === 'plain' && cell.hooks === 'none') return { ends: 'signal', signal };
  switch (cell.cause) {
    case 'sigterm':
    case 'sigint':
      return { ends: 'signal', signal };
    case 'deadline':
      return { ends: 'code', code: 124 };
    case 'second-signal':
      return { ends: 'code', code: 128 + SIGNAL_NUMBERS[signal] };
    case 'fault':
      return cell.run === 'runHost' ? { ends: 'code', code: 1 } : { ends: 'stays-open', thenSigterm: [{ code: 1 }] };
    default: {
      const code = STOP_CODES[cell.cause]!;
      // Once the app is closed by the SIGTERM, either the requested code or the signal's end is honest.
      if (cell.run === 'runHost') return { ends: 'code', code };
      return { ends: 'stays-open', thenSigterm: [{ code }, { signal: 'SIGTERM' }] };
    }
  }
}

let running = 0;
const turns: Array<() => void> = [];

/** Spawns the cell's app, brings about its cause, and checks the whole run. */
export async function runCell(cell: Cell): Promise<void> {
  if (running < PROCESSES_PER_FILE) running++;
  else await new Promise<void>((resolve) => turns.push(resolve)); // the slot is handed over
  try {
    await runCellNow(cell);
  } finally {
    const next = turns.shift();
    if (next) next();
    else running--;
  }
}

async function runCellNow(cell: Cell): Promise<void> {
  const app = new WorkerProcess(APP, envOf(cell), BOUND_MS, NEST_MAJOR === '11' ? ['--require', NEST11_RESOLVER] : []);
  try {
    const expect_ = expected(cell);
    const ports = await bringAbout(cell, app);
    if (expect_.ends === 'stays-open') await checkStaysOpen(cell, app, ports);
    const exit = await app.exited;
    checkExit(cell, app, exit);
    await checkRun(cell, app, exit, ports);
  } finally {
    app.dispose();
  }
}

function envOf(cell: Cell): Record<string, string> {
  return {
    KIND: cell.kind,
    HOOKS: cell.hooks,
    RUN: cell.run,
    CAUSE: cell.cause,
    QUEUE: cell.queue ? '1' : '0',
    ITEM_MS: cell.cause === 'second-signal' ? '100' : '20',
    SHUTDOWN_MS: String(cell.cause === 'deadline' ? DEADLINE_MS : 10_000),
  };
}

/** Waits for the app to be ready, then causes the stop. Returns the ports the app listened on. */
async function bringAbout(cell: Cell, app: WorkerProcess): Promise<number[]> {
  if (cell.cause === 'stop-started') {
    // The stop is asked for during init: the app may never print `ready` (nothing to wait for).
    await app.exited.catch(() => undefined);
    return portsOf(app.lines.find((l) => l.startsWith('EVENT ready ')));
  }
  // Startup is the slow part (about 1 s of CPU for Nest 12), and cells start in parallel.
  const ports = portsOf(await app.waitFor(/^EVENT ready /, BOUND_MS));
  await app.waitFor(cell.cause === 'deadline' ? /^EVENT stubborn-running$/ : /^EVENT worker-running$/);
  const signal = signalOf(cell);
  switch (cell.cause) {
    case 'stop-service':
    case 'fault':
      app.signal('SIGWINCH'); // the fixture's "go"
      break;
    case 'stop-controller':
      expect(await withOutput(app, httpGet(ports[0], '/stop?code=4'))).toBe('stopping');
      break;
    case 'second-signal':
      if (cell.queue) await app.waitFor(/^EVENT done id=q4$/); // the queue is under load
      app.signal(signal);
      await app.waitFor(/^EVENT stop-tick n=3$/); // 300 ms into the stop: past the 250 ms coalescing window
      app.signal(signal);
      break;
    default: // sigterm, sigint, deadline
      app.signal(signal);
  }
  return ports;
}

/** Plain path: the hosted services stop, the library says to use runHost, and the app stays open. */
async function checkStaysOpen(cell: Cell, app: WorkerProcess, ports: number[]): Promise<void> {
  await app.waitFor(/^EVENT hosted-stopped$/);
  const refusal = await app.waitFor(/ERROR .*\[Hosting\].*runHost\(app\)/);
  expect(refusal).toMatch(/stays open/);
  const pokes = app.lines.filter((l) => /^EVENT poked /.test(l)).length;
  app.signal('SIGWINCH'); // still alive and responsive after the hosted services stopped
  await app.waitFor(new RegExp(`^EVENT poked n=${pokes + 1}$`));
  if (HTTP_KINDS.includes(cell.kind)) expect(await withOutput(app, httpGet(ports[0], '/ping'))).toBe('pong');
  expect(app.output).not.toMatch(/^EVENT (dep-destroyed|server-closed)/m);
  app.signal('SIGTERM');
}

function checkExit(cell: Cell, app: WorkerProcess, exit: Exit): void {
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

async function checkRun(cell: Cell, app: WorkerProcess, exit: Exit, ports: number[]): Promise<void> {
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
  const fields = Object.fromEntries(ready.split(' ').slice(2).map((kv) => kv.split('=') as [string, string]));
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

function portsOf(ready: string | undefined): number[] {
  return [...(ready ?? '').matchAll(/\b(?:http|tcp)Port=(\d+)/g)].map((m) => Number(m[1]));
}

/** A failed request says what the app had printed. */
async function withOutput<T>(app: WorkerProcess, promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    throw new Error(`${(error as Error).message}; output:\n${app.output}`, { cause: error });
  }
}

/** GET on 127.0.0.1 without keep-alive; resolves with the body. */
export function httpGet(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Whether a TCP connection to 127.0.0.1:`port` is refused. */
export function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}
