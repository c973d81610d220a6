import { FakeClock, TaskQueueOptions, UnprocessedWorkItem, WorkItem, WorkItemContext } from '../../../lib';
import { ForcedExitHooks } from '../../../lib/process/forced-exit';
import { TaskQueue } from '../../../lib/queue/background-task-queue';
import { QueuedHostedService } from '../../../lib/queue/queued-hosted-service';
import { normalizeTaskQueueOptions } from '../../../lib/queue/task-queue.options';
import { UnprocessedReason } from '../../../lib/queue/work-item';
import { ServiceScopeFactory } from '../../../lib/scope/service-scope-factory';
import { CaptureLogger } from '../../helpers/capture-logger';
import { Deferred, deferred, flush } from '../../helpers/deferred';

/** One call of `onUnprocessed`, flattened for assertions: `label:started` per item. */
export interface HandBack {
  readonly reason: UnprocessedReason;
  readonly items: string[];
}

/**
 * A queue and its consumer wired exactly as `BackgroundTaskQueueModule.register()` wires them, but
 * without Nest: the test drives `start()`, and `stop(signal)` with a signal it aborts itself (the
 * shutdown deadline). `onUnprocessed` records every hand-back unless the test passes its own.
 * `force()` is what the process lifetime does on a second signal: it runs the forced-exit hooks,
 * whose budget runs on `clock`.
 */
export function queueHarness(
  options: TaskQueueOptions = {},
  scopes?: ServiceScopeFactory,
): {
  queue: TaskQueue;
  consumer: QueuedHostedService;
  logger: CaptureLogger;
  handBacks: HandBack[];
  handedBack: UnprocessedWorkItem[];
  deadline: AbortController;
  items: Items;
  clock: FakeClock;
  forcedExit: ForcedExitHooks;
  stop(): Promise<void>;
  force(signal?: NodeJS.Signals): Promise<void>;
} {
  const logger = new CaptureLogger();
  const handBacks: HandBack[] = [];
  const handedBack: UnprocessedWorkItem[] = [];
  const record = (items: UnprocessedWorkItem[], reason: UnprocessedReason): void => {
    handedBack.push(...items);
    handBacks.push({ reason, items: items.map((i) => `${i.label}:${i.started}`) });
  };
  const normalized = normalizeTaskQueueOptions({ onUnprocessed: record, ...options });
  const queue = new TaskQueue(normalized, (item) => void consumer.handBackDropped(item));
  const consumer = new QueuedHostedService(queue, scopes, logger);
  const deadline = new AbortController();
  const clock = new FakeClock();
  const forcedExit = new ForcedExitHooks(clock);
  consumer.joinForcedExit(forcedExit);
  return {
    queue,
    consumer,
    logger,
    handBacks,
    handedBack,
    deadline,
    items: new Items(),
    clock,
    forcedExit,
    stop: () => consumer.stop(deadline.signal),
    force: (signal = 'SIGTERM') => forcedExit.run(signal),
  };
}

/**
 * Work items that record `id:start` / `id:end` / `id:failed` in one shared log, and that a test can
 * hold at their start (`hold(id)`) and release later, with no timers at all.
 */
export class Items {
  readonly events: string[] = [];
  readonly signals = new Map<string, AbortSignal>();
  readonly contexts = new Map<string, WorkItemContext>();
  readonly #gates = new Map<string, Deferred>();

  /** Makes item `id` wait, once started, until `release(id)` (or `fail(id, error)`). */
  hold(...ids: string[]): this {
    for (const id of ids) this.#gates.set(id, deferred());
    return this;
  }

  release(...ids: string[]): void {
    for (const id of ids) this.#gate(id).resolve();
  }

  fail(id: string, error: unknown): void {
    this.#gate(id).reject(error);
  }

  /** A work item that records its start, waits for its gate if held, then records its end. */
  item(id: string): WorkItem {
    return async (signal, context) => {
      this.events.push(`${id}:start`);
      this.signals.set(id, signal);
      this.contexts.set(id, context);
      try {
        await this.#gates.get(id)?.promise;
      } catch (error) {
        this.events.push(`${id}:failed`);
        throw error;
      }
      this.events.push(`${id}:end`);
    };
  }

  /** Ids in the order they started. */
  get started(): string[] {
    return this.#of('start');
  }

  /** Ids in the order they ended successfully. */
  get ended(): string[] {
    return this.#of('end');
  }

  /** Ids started and not (yet) ended or failed. */
  get running(): string[] {
    const done = new Set([...this.#of('end'), ...this.#of('failed')]);
    return this.started.filter((id) => !done.has(id));
  }

  #of(what: string): string[] {
    return this.events.filter((e) => e.endsWith(`:${what}`)).map((e) => e.slice(0, e.lastIndexOf(':')));
  }

  #gate(id: string): Deferred {
    const gate = this.#gates.get(id);
    if (!gate) throw new Error(`item ${id} is not held`);
    return gate;
  }
}

/** Lets the consumer loop and the items' continuations run (event-loop turns, no timers). */
export const settle = (): Promise<void> => flush(5);

/** The books balance: every accepted item was processed or handed back (once stopped). */
export function balanced(queue: TaskQueue): boolean {
  const s = queue.stats;
  return s.accepted === s.succeeded + s.failed + s.handedBack;
}

/** The books balance at any moment: what is not processed or handed back is pending or running. */
export function balancedNow(queue: TaskQueue): boolean {
  const s = queue.stats;
  return s.accepted === s.succeeded + s.failed + s.handedBack + s.pending + s.running;
}

/** Whether a promise has settled yet, without awaiting it. */
export function track(promise: Promise<unknown>): { readonly done: boolean; readonly error: unknown } {
  const state = { done: false, error: undefined as unknown };
  promise.then(
    () => void (state.done = true),
    (error: unknown) => {
      state.done = true;
      state.error = error;
    },
  );
  return state;
}
