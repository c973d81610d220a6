import fc from 'fast-check';

/** No signal, a fresh one, or the n-th one handed out so far (which may have been aborted). */
export type SignalChoice = 'none' | 'new' | number;

/** One step of a schedule: a call on the channel, or an abort, or starting a consumer. */
export type Op =
  | { kind: 'write'; producer: number; abortable: SignalChoice }
  | { kind: 'tryWrite'; producer: number }
  | { kind: 'read'; abortable: SignalChoice }
  | { kind: 'tryRead' }
  | { kind: 'drain' }
  | { kind: 'waitToRead'; abortable: SignalChoice }
  | { kind: 'waitToWrite'; abortable: SignalChoice }
  | { kind: 'startLoop'; yieldEvery: number }
  | { kind: 'startIterator'; abortable: SignalChoice }
  | { kind: 'abort'; index: number }
  | { kind: 'complete'; withError: boolean };

/** Producers writing concurrently; consumers check each one's order. */
export const PRODUCERS = 3;
/** Items are `producer * ITEM_BASE + sequence`: unique, and they tell their producer and order. */
export const ITEM_BASE = 10_000;
/** Consumer loops and iterators started at most per schedule. */
export const MAX_CONSUMER_TASKS = 4;

/** Which signal an operation gets. */
const signalArb: fc.Arbitrary<SignalChoice> = fc.oneof(
  fc.constant('none' as const),
  fc.constant('new' as const),
  fc.nat(),
);

/** Writes and reads dominate; completion is rare so that schedules get going first. */
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('write' as const),
      producer: fc.nat(PRODUCERS - 1),
      abortable: signalArb,
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('tryWrite' as const), producer: fc.nat(PRODUCERS - 1) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('read' as const), abortable: signalArb }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'tryRead' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'drain' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('waitToRead' as const), abortable: signalArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('waitToWrite' as const), abortable: signalArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('startLoop' as const), yieldEvery: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('startIterator' as const), abortable: signalArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('abort' as const), index: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('complete' as const), withError: fc.boolean() }) },
);

/** Each step may let microtasks and wake-ups run afterwards, or go on synchronously. */
export const scheduleArb = fc.array(fc.record({ op: opArb, flushAfter: fc.boolean() }), { maxLength: 60 });

export const capacityArb = fc.constantFrom(1, 2, 3, 5, 8, Infinity);

/** A schedule step. */
export type Step = { op: Op; flushAfter: boolean };
