import { describe, test } from '@jest/globals';
import { runHostCells } from '../helpers/app-shape-cells';
import { CELL_TIMEOUT_MS, forThisNest, runCell } from '../helpers/app-shapes';

// The app-shape matrix, part 1 (issue 8): `await runHost(app)` in every app shape NestFactory
// makes, against every way a run ends. Each cell is a real process
// (test/process/fixtures/apps/app.ts) checked for its exit code or signal, that its servers closed
// before the exit and after the hosted services stopped, that dependencies were alive during the
// stop, and, with a queue under load, that every accepted item was completed or handed back
// exactly once (test/helpers/app-shape-checks.ts).
//
// Pruning (each Nest 12 process costs about 1 s of CPU): every kind × every cause, with no
// shutdown hooks (runHost owns the signals by itself), except that 'stop-controller' needs an HTTP
// server and 'sigint', the very path of 'sigterm' but for the signal, runs on three kinds
// (runHostCells). 36 cells. Part 2 (app-shapes.testing-and-hooks.process.spec.ts) has the same for
// the apps @nestjs/testing builds, the shutdown-hook orders and Nest's plain path; the two files
// are balanced, as Jest runs them side by side. The Nest 11 leg (`npm run test:nest11`) runs the
// cells marked `nest11`.

const cells = runHostCells(['context', 'express', 'fastify', 'microservice', 'hybrid']);

describe('NestFactory app shapes × causes with runHost(app), real processes', () => {
  test.concurrent.each(forThisNest(cells))('%s', (_name, cell) => runCell(cell), CELL_TIMEOUT_MS);
});
