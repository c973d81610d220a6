import { describe, test } from '@jest/globals';
import { runHostCells } from '../helpers/app-shape-cells';
import { Cell, CELL_TIMEOUT_MS, forThisNest, runCell } from '../helpers/app-shapes';

// The app-shape matrix, part 2 (issue 8): runHost(app) in the apps @nestjs/testing builds (a
// TestingModule's application, and the TestingModule itself as a context) against every way a
// run ends, as part 1 (app-shapes.process.spec.ts) does for NestFactory's; then the order of
// `app.enableShutdownHooks()` (before init/listen, after, or never) with runHost(app), and Nest's
// plain path without runHost. Same fixture and checks as part 1.
//
// Pruning: the full cross product (7 kinds × 3 hook orders × 2 runs × 8 causes) would be 336
// processes at about 1 s of CPU each. What the hook order changes is whose listener sees a signal
// first and who closes the app, so the hook orders are crossed with the causes that go through
// those listeners (a signal, a second signal, stopApplication), on express and context, plus the
// microservice, the hybrid and the TestingModule once each; one express cell drains a queue under
// load before the app closes. The plain path gets its signal exits (clean, 124, 128+n, a queue
// under load on express), its refusal of stopApplication() and of a fault (the app stays open
// until a SIGTERM) on four kinds, and, without hooks, a signal's default action. 13 + 23 cells;
// the ones marked `nest11` also run on the Nest 11 leg.

const shape =
  (run: Cell['run']) =>
  (kind: Cell['kind'], hooks: Cell['hooks'], cause: Cell['cause'], extra: Partial<Cell> = {}): Cell => ({
    kind,
    run,
    hooks,
    cause,
    ...extra,
  });
const runHost = shape('runHost');
const plain = shape('plain');

const hookOrders: Cell[] = [
  runHost('express', 'before', 'sigterm', { nest11: true }),
  runHost('express', 'after', 'sigterm', { queue: true, nest11: true }), // the queue drains, then the app closes
  runHost('express', 'before', 'second-signal'),
  runHost('express', 'after', 'second-signal', { signal: 'SIGINT', queue: true }),
  runHost('express', 'after', 'stop-service', { nest11: true }),
  runHost('context', 'after', 'sigterm', { nest11: true }),
  runHost('context', 'after', 'stop-service'),
  runHost('microservice', 'before', 'sigint'),
  runHost('hybrid', 'before', 'stop-controller'),
  runHost('testing-context', 'before', 'stop-started'),
];

const plainPath: Cell[] = [
  // Signals work as with runHost: Nest closes, the library owns the exit code.
  plain('express', 'after', 'sigterm', { nest11: true }),
  plain('express', 'after', 'deadline', { nest11: true }),
  plain('express', 'after', 'second-signal', { queue: true, nest11: true }),
  plain('context', 'after', 'second-signal', { signal: 'SIGINT' }),
  plain('microservice', 'after', 'sigterm'),
  plain('testing-context', 'before', 'sigint'),
  // stopApplication() and a fault stop only the hosted services: an ERROR names runHost, the app stays open.
  plain('express', 'after', 'stop-service', { nest11: true }),
  plain('express', 'before', 'fault'),
  plain('fastify', 'after', 'stop-controller'),
  plain('context', 'after', 'stop-service', { nest11: true }),
  plain('microservice', 'after', 'fault'),
  // No hooks, no runHost: the library stays out of the way; a signal's default action ends the process.
  plain('express', 'none', 'sigterm', { nest11: true }),
  plain('context', 'none', 'sigterm'),
];

describe('@nestjs/testing app shapes × causes with runHost(app), real processes', () => {
  test.concurrent.each(forThisNest(runHostCells(['testing', 'testing-context'])))(
    '%s',
    (_name, cell) => runCell(cell),
    CELL_TIMEOUT_MS,
  );
});

describe('shutdown-hook order with runHost(app), real processes', () => {
  test.concurrent.each(forThisNest(hookOrders))('%s', (_name, cell) => runCell(cell), CELL_TIMEOUT_MS);
});

describe("Nest's plain path (no runHost), real processes", () => {
  test.concurrent.each(forThisNest(plainPath))('%s', (_name, cell) => runCell(cell), CELL_TIMEOUT_MS);
});
