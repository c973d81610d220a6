import { CAUSES, type Cause, type Hooks, type Kind, type Run } from '../process/fixtures/apps/config';

// The app-shape matrix's cells, and what the contract says each one ends with: `runHost(app)` and
// Nest's plain path (README, "Running an application").

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
/** CAUSE=deadline's shutdownTimeout. */
export const DEADLINE_MS = 500;

export function cellName(cell: Cell): string {
  const extras = [cell.queue ? '+queue' : '', cell.signal && cell.cause === 'second-signal' ? `(${cell.signal})` : ''];
  return `${cell.kind} ${cell.run} hooks=${cell.hooks} ${cell.cause}${extras.join('')}`;
}

/** Cells of this Jest run: all of them on Nest 12, the ones marked `nest11` on Nest 11. */
export function forThisNest(cells: readonly Cell[]): Array<[string, Cell]> {
  return cells.filter((c) => NEST_MAJOR === '12' || c.nest11).map((c) => [cellName(c), c]);
}

/** What the contract says the process does for a cell. */
export type Expected =
  | { ends: 'code'; code: number }
  | { ends: 'signal'; signal: NodeJS.Signals }
  /**
   * Plain path: stopApplication()/a fault stops only the hosted services. An app with a server
   * stays open; an application context has nothing holding it, so it ends by itself with the code.
   */
  | { ends: 'stays-open'; thenSigterm: ReadonlyArray<{ code: number } | { signal: NodeJS.Signals }> };

export function signalOf(cell: Cell): 'SIGINT' | 'SIGTERM' {
  return cell.signal ?? (cell.cause === 'sigint' ? 'SIGINT' : 'SIGTERM');
}

/** Whether the app holds the event loop open by itself (a server), once the hosted services stopped. */
function holdsOpen(kind: Kind): boolean {
  return kind !== 'context' && kind !== 'testing-context';
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
      if (cell.run === 'runHost' || !holdsOpen(cell.kind)) return { ends: 'code', code: 1 };
      return { ends: 'stays-open', thenSigterm: [{ code: 1 }] };
    default: {
      const code = STOP_CODES[cell.cause]!;
      // Once the app is closed by the SIGTERM, either the requested code or the signal's end is honest.
      if (cell.run === 'runHost' || !holdsOpen(cell.kind)) return { ends: 'code', code };
      return { ends: 'stays-open', thenSigterm: [{ code }, { signal: 'SIGTERM' }] };
    }
  }
}

/** 'sigint' takes the very path of 'sigterm' but for the signal: a context, an HTTP app, a microservice. */
const SIGINT_KINDS: readonly Kind[] = ['context', 'express', 'microservice'];
/** The Nest 11 leg's share of the runHost cells: every kind once (SIGTERM), each other cause on one or two. */
const NEST11: Partial<Record<Cause, readonly Kind[] | 'all'>> = {
  sigterm: 'all',
  'stop-service': ['express', 'microservice'],
  'stop-started': ['context'],
  'stop-controller': ['express', 'fastify'],
  fault: ['express', 'hybrid'],
  deadline: ['express'],
  'second-signal': ['express', 'context'],
};

/**
 * `runHost(app)` with no shutdown hooks, for each of `kinds` × every cause that applies: not
 * 'stop-controller' without an HTTP server, 'sigint' only on {@link SIGINT_KINDS}. A queue under
 * load goes with the second signal on express and context; the microservice's second signal is a
 * SIGINT (130), the others a SIGTERM (143).
 */
export function runHostCells(kinds: readonly Kind[]): Cell[] {
  const applies = (kind: Kind, cause: Cause): boolean =>
    (cause !== 'stop-controller' || HTTP_KINDS.includes(kind)) && (cause !== 'sigint' || SIGINT_KINDS.includes(kind));
  return kinds.flatMap((kind) =>
    CAUSES.filter((cause) => applies(kind, cause)).map((cause): Cell => ({
      kind,
      run: 'runHost',
      hooks: 'none',
      cause,
      queue: cause === 'second-signal' && (kind === 'express' || kind === 'context'),
      ...(cause === 'second-signal' && kind === 'microservice' ? { signal: 'SIGINT' as const } : {}),
      nest11: NEST11[cause] === 'all' || (NEST11[cause]?.includes(kind) ?? false),
    })),
  );
}
