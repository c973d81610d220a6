import { describe, test } from '@jest/globals';
import { Cell, CELL_TIMEOUT_MS, forThisNest, HTTP_KINDS, runCell } from '../helpers/app-shapes';
import { CAUSES, KINDS } from './fixtures/apps/config';

// The app-shape matrix, part 1 (issue 8): `await runHost(app)` in every app shape Nest has, against
// every way a run ends. Each cell is a real process (test/process/fixtures/apps/app.ts) checked
// for its exit code or signal, that its servers closed before the exit and after the hosted
// services stopped, that dependencies were alive during the stop, and, with a queue under load,
// that every accepted item was completed or handed back exactly once (test/helpers/app-shapes.ts).
//
// Pruning: every kind × every cause, with no shutdown hooks (runHost owns the signals by itself),
// except two causes that cannot differ by kind: 'stop-controller' needs an HTTP server, and
// 'sigint' takes the very path of 'sigterm' but for the signal, so it runs on three kinds (a
// context, an HTTP app, a microservice). The queue goes where the contract names it (second
// signal, express and context); the microservice's second signal is a SIGINT (130), the others a
// SIGTERM (143). Hook orders and Nest's plain path are part 2 (app-shapes.hooks.process.spec.ts).
// The Nest 11 leg (`npm run test:nest11`) runs the cells marked `nest11`: every kind once
// (SIGTERM), and each other cause on one or two kinds.

const SIGINT_KINDS: readonly string[] = ['context', 'express', 'microservice'];
const NEST11: Record<string, readonly string[]> = {
  sigterm: KINDS,
  'stop-service': ['express', 'microservice'],
  'stop-started': ['context'],
  'stop-controller': ['express', 'fastify'],
  fault: ['express', 'hybrid'],
  deadline: ['express'],
  'second-signal': ['express', 'context'],
};

const cells: Cell[] = KINDS.flatMap((kind) =>
  CAUSES.filter(
    (cause) =>
      (cause !== 'stop-controller' || HTTP_KINDS.includes(kind)) && (cause !== 'sigint' || SIGINT_KINDS.includes(kind)),
  ).map(
    (cause): Cell => ({
      kind,
      run: 'runHost',
      hooks: 'none',
      cause,
      queue: cause === 'second-signal' && (kind === 'express' || kind === 'context'),
      ...(cause === 'second-signal' && kind === 'microservice' ? { signal: 'SIGINT' as const } : {}),
      nest11: NEST11[cause]?.includes(kind) ?? false,
    }),
  ),
);

describe('app shapes × causes with runHost(app), real processes', () => {
  test.concurrent.each(forThisNest(cells))('%s', (_name, cell) => runCell(cell), CELL_TIMEOUT_MS);
});
