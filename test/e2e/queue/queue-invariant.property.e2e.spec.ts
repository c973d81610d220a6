import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { QueueClosedError, QueueFullError, TaskQueueOptions, WorkItem } from '../../../lib';
import { HostedServicesOrchestrator } from '../../../lib/nest/hosted-services.orchestrator';
import { ForcedExitHooks } from '../../../lib/process/forced-exit';
import { flush } from '../../helpers/deferred';
import { track } from '../support/e2e';
import { report, useQueueApps } from './queue.e2e-fixtures';

/*
 * Nothing lost, nothing twice, under random shutdown points. A random queue (capacity, full mode,
 * concurrency, shutdown policy, budget) gets random items (when they are enqueued, how long they
 * take, whether they honour their signal, how they end) and the application is closed at a random
 * moment, through Nest and the host's real deadline on a FakeClock; in some runs a second signal
 * then forces the exit at a random moment (as the process lifetime does: the host is abandoned,
 * then the forced-exit hooks run). For every run:
 * - by id: each accepted item either ran to completion (settled and not handed back) exactly
 *   once or was handed back exactly once (shutdown, dropped or forced), never both; nothing
 *   refused ever ran or came back; an item handed back as not started never ran;
 * - the books agree: succeeded + failed + handedBack = accepted, `forced` counts the forced
 *   hand-backs, and the report line says so;
 * - items started in acceptance order, never more than `concurrency` at once, each at most once;
 * - enqueue only ever failed with QueueFullError ('reject') or QueueClosedError (once stopping);
 * - close() completed by the deadline, and no timer is left behind.
 */

type Outcome = 'ok' | 'throw' | 'reject' | 'nonError';

interface ItemSpec {
  readonly at: number;
  readonly duration: number;
  readonly honoursSignal: boolean;
  readonly outcome: Outcome;
  readonly viaTry: boolean;
}

interface Scenario {
  readonly queue: Required<Pick<TaskQueueOptions, 'capacity' | 'fullMode' | 'concurrency' | 'shutdown'>>;
  readonly shutdownTimeout: number;
  readonly closeAt: number;
  /** A second signal this long after the close, or none. */
  readonly forceAfter: number | null;
  readonly items: readonly ItemSpec[];
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  queue: fc.record({
    capacity: fc.integer({ min: 1, max: 4 }),
    fullMode: fc.constantFrom('wait' as const, 'dropOldest' as const, 'dropNewest' as const, 'reject' as const),
    concurrency: fc.integer({ min: 1, max: 3 }),
    shutdown: fc.constantFrom('drain' as const, 'drain' as const, 'abandon' as const),
  }),
  // Often short, so that the deadline cuts the drain; sometimes long enough to drain everything.
  shutdownTimeout: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 400 })),
  closeAt: fc.integer({ min: 0, max: 200 }),
  // Often soon after the close, so that it cuts the drain; sometimes once the stop is over (then it finds nothing).
  forceAfter: fc.option(fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 300 })), { freq: 3 }),
  items: fc.array(
    fc.record({
      at: fc.integer({ min: 0, max: 150 }),
      duration: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 250 })),
      honoursSignal: fc.boolean(),
      outcome: fc.constantFrom<Outcome>('ok', 'ok', 'ok', 'throw', 'reject', 'nonError'),
      viaTry: fc.boolean(),
    }),
    { minLength: 1, maxLength: 16 },
  ),
});

describe('the queue invariant under random shutdown points (fast-check)', () => {
  const apps = useQueueApps();

  it('accounts for every accepted item exactly once: processed or handed back', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const {
          app,
          clock,
          handBacks,
          queue: queueOf,
          logger,
        } = await apps.compile({ queues: [{ ...scenario.queue }], shutdownTimeout: scenario.shutdownTimeout });
        await app.init();
        const queue = queueOf();

        const accepted: string[] = [];
        const refused: string[] = [];
        const started: string[] = [];
        // How each item settled. Whether it counts as processed is known only at the end: an item
        // that gives up on its signal ('abandon') is handed back just after it settles.
        const settledAs = new Map<string, 'ok' | 'error'>();
        const unexpected: unknown[] = [];
        let running = 0;
        let peak = 0;
        const handedBack = (): string[] => handBacks.items.map((i) => i.label);

        const finish = (id: string, how: 'ok' | 'error'): void => {
          running--;
          if (settledAs.has(id)) unexpected.push(`${id} settled twice`);
          settledAs.set(id, how);
        };
        const workFor =
          (id: string, spec: ItemSpec): WorkItem =>
          (signal) => {
            if (started.includes(id)) unexpected.push(`${id} started twice`);
            started.push(id);
            peak = Math.max(peak, ++running);
            if (spec.outcome === 'throw') {
              finish(id, 'error');
              throw new Error(`${id} throws`);
            }
            return (async () => {
              try {
                if (spec.duration > 0) await clock.delay(spec.duration, spec.honoursSignal ? signal : undefined);
                if (spec.outcome === 'reject') throw new Error(`${id} rejects`);
                if (spec.outcome === 'nonError') throw `${id} throws a string`; // eslint-disable-line @typescript-eslint/only-throw-error
              } catch (error) {
                finish(id, 'error');
                throw error;
              }
              finish(id, 'ok');
            })();
          };

        // The timeline: enqueues, the close and the second signal, in time order (an enqueue at closeAt comes first).
        const events = [
          ...scenario.items.map((spec, n) => ({ at: spec.at, order: 0, id: `i${n}`, spec })),
          { at: scenario.closeAt, order: 1, id: 'close', spec: undefined },
          ...(scenario.forceAfter === null
            ? []
            : [{ at: scenario.closeAt + scenario.forceAfter, order: 2, id: 'force', spec: undefined }]),
        ].sort((x, y) => x.at - y.at || x.order - y.order);
        let now = 0;
        /** Moves the clock to `t`, firing what is due by then (also what is due right now). */
        const advanceTo = async (t: number): Promise<void> => {
          await clock.advance(Math.max(0, t - now));
          now = Math.max(now, t);
        };
        let closing: { readonly done: boolean } | undefined;
        let closed: Promise<void> | undefined;
        let forced: Promise<void> | undefined;
        const writes: Array<Promise<void>> = [];

        for (const event of events) {
          await advanceTo(event.at);
          if (!closing) {
            // Before stopping, the books balance at every quiet point (items still pending or running).
            const s = queue.stats;
            if (s.accepted !== s.succeeded + s.failed + s.handedBack + s.pending + s.running)
              unexpected.push(`unbalanced before close: ${JSON.stringify(s)}`);
          }
          if (event.id === 'force') {
            app.get(HostedServicesOrchestrator).host?.abandon('SIGTERM');
            forced = app.get(ForcedExitHooks).run('SIGTERM');
            continue;
          }
          if (!event.spec) {
            closed = apps.close(app);
            closing = track(closed);
            continue;
          }
          const { id, spec } = event;
          const work = workFor(id, spec);
          if (spec.viaTry) {
            (queue.tryEnqueue(work, { label: id }) ? accepted : refused).push(id);
            continue;
          }
          writes.push(
            queue.enqueue(work, { label: id }).then(
              () => void accepted.push(id),
              (error: unknown) => {
                refused.push(id);
                const expected =
                  (error instanceof QueueFullError && scenario.queue.fullMode === 'reject') ||
                  (error instanceof QueueClosedError && closing !== undefined);
                if (!expected) unexpected.push(error);
              },
            ),
          );
        }

        // The stop is bounded by the budget, counted from the close.
        await advanceTo(scenario.closeAt + scenario.shutdownTimeout);
        await flush();
        expect(closing?.done).toBe(true);
        await closed;
        await forced; // its onUnprocessed is synchronous: it is done at once
        await Promise.all(writes); // every enqueue has settled: accepted, or refused
        await clock.advance(10_000); // let items that ignored their signal run out
        await flush();

        expect(unexpected).toEqual([]);
        const back = handedBack();
        const processed = new Map([...settledAs].filter(([id]) => !back.includes(id)));
        const late = [...settledAs.keys()].filter((id) => back.includes(id)); // settled, but handed back first (or for giving up)
        const s = queue.stats;
        // The books.
        expect(s.succeeded + s.failed + s.handedBack).toBe(s.accepted);
        expect(s.accepted).toBe(accepted.length);
        expect(s).toMatchObject({ pending: 0, running: 0, handedBack: back.length });
        expect(s.forced).toBe(handBacks.reasons.filter((r) => r === 'forced').length);
        expect(s.succeeded).toBe([...processed.values()].filter((how) => how === 'ok').length);
        expect(s.failed).toBe([...processed.values()].filter((how) => how === 'error').length);
        const forcedNote = s.forced > 0 ? ` (${s.forced} forced)` : '';
        expect(logger.messages('log')).toContain(
          report('default', s.accepted, s.succeeded, s.failed, s.handedBack) + forcedNote,
        );
        // By id: processed or handed back, exactly once, never both; nothing refused appears.
        expect(new Set(back).size).toBe(back.length);
        expect([...processed.keys(), ...back].sort()).toEqual([...accepted].sort());
        expect(started.filter((id) => refused.includes(id))).toEqual([]);
        expect(late.filter((id) => !handBacks.items.some((i) => i.label === id && i.started))).toEqual([]);
        expect(handBacks.items.filter((i) => !i.started && started.includes(i.label))).toEqual([]);
        if (scenario.forceAfter === null) expect(s.forced).toBe(0);
        // Start order is acceptance order; never more than `concurrency` at once.
        expect(started).toEqual(accepted.filter((id) => started.includes(id)));
        expect(peak).toBeLessThanOrEqual(scenario.queue.concurrency);
        expect(clock.pendingTimers).toBe(0);
      }),
      // 50 runs take well under a second. To replay a failure: QUEUE_PROPERTY_SEED=<seed printed by fast-check>.
      {
        numRuns: Number(process.env.QUEUE_PROPERTY_RUNS ?? 50),
        seed: process.env.QUEUE_PROPERTY_SEED ? Number(process.env.QUEUE_PROPERTY_SEED) : undefined,
      },
    );
  });
});
