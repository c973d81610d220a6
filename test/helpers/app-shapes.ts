import { expect } from '@jest/globals';
import { join } from 'node:path';
import { WorkerProcess } from '../process/spawn-worker';
import { Cell, DEADLINE_MS, expected, HTTP_KINDS, NEST_MAJOR, signalOf } from './app-shape-cells';
import { checkExit, checkRun } from './app-shape-checks';
import { httpGet } from './sockets';

export { Cell, forThisNest, HTTP_KINDS } from './app-shape-cells';

// The app-shape matrix's driver: spawns test/process/fixtures/apps/app.ts as one cell describes,
// brings about the cell's cause, and checks how the process ended (app-shape-checks.ts) against
// what the contract says (app-shape-cells.ts).

const ROOT = join(__dirname, '..', '..');
/**
 * Compiled by `npm run build:sample`. APP_SHAPES_OUT_DIR names another output directory of
 * tsconfig.sample.json inside the repository (e.g. `coverage/app-shapes`), for a run that a
 * concurrent `build:sample` must not pull the files from under.
 */
const OUT_DIR = join(ROOT, process.env.APP_SHAPES_OUT_DIR || 'dist-sample');
export const APP = join(OUT_DIR, 'test', 'process', 'fixtures', 'apps', 'app.js');
/** `node --require` hook that loads NestJS 11 from compat/nest11 into a spawned app. */
export const NEST11_RESOLVER = join(__dirname, 'nest11-resolver.cjs');

/** A spawned app outstaying this is killed and fails its cell. */
const BOUND_MS = 15_000;
/**
 * How many cells of one test file run their process at once. Startup is nearly all CPU (about
 * 1 s for Nest 12), so more would only slow each other down on 2 cores; jest runs two files at once.
 */
const PROCESSES_PER_FILE = 2;
/** Jest's timeout for one cell: its turn (behind at most jest's 5 concurrent tests), its bound, the checks. */
export const CELL_TIMEOUT_MS = 3 * BOUND_MS + 5_000;

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
  const nodeArgs = NEST_MAJOR === '11' ? ['--require', NEST11_RESOLVER] : [];
  const app = new WorkerProcess(APP, envOf(cell), BOUND_MS, nodeArgs);
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
  if (cell.queue) await app.waitFor(/^EVENT done id=q4$/); // the queue is under load
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
  expect(refusal).toMatch(/nothing can close the Nest application/);
  const pokes = app.lines.filter((l) => /^EVENT poked /.test(l)).length;
  app.signal('SIGWINCH'); // still alive and responsive after the hosted services stopped
  await app.waitFor(new RegExp(`^EVENT poked n=${pokes + 1}$`));
  if (HTTP_KINDS.includes(cell.kind)) expect(await withOutput(app, httpGet(ports[0], '/ping'))).toBe('pong');
  expect(app.output).not.toMatch(/^EVENT (dep-destroyed|server-closed)/m);
  app.signal('SIGTERM');
}

/** A failed request says what the app had printed. */
async function withOutput<T>(app: WorkerProcess, promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    throw new Error(`${(error as Error).message}; output:\n${app.output}`, { cause: error });
  }
}

function portsOf(ready: string | undefined): number[] {
  return [...(ready ?? '').matchAll(/\b(?:http|tcp)Port=(\d+)/g)].map((m) => Number(m[1]));
}
