import { ServiceScope } from '../scope/service-scope.interface';

/**
 * A unit of background work: called once, with a signal that aborts when it should give up (the
 * shutdown deadline, at stop with the `'abandon'` shutdown policy, or a forced exit). An item that
 * gives up by rejecting with the signal's reason (or an `AbortError`) did not complete: it is
 * handed back with `started: true`. One that returns counts as succeeded.
 * @publicApi
 */
export type WorkItem = (signal: AbortSignal, context: WorkItemContext) => void | Promise<void>;

/** What a work item receives besides its signal. @publicApi */
export interface WorkItemContext {
  /** The label given at enqueue, or `''` when none was (logs then name the item `#<sequence>`). */
  readonly label: string;
  /** The item's own scope when the queue has `scopePerItem` (disposed after the item). */
  readonly scope: ServiceScope | undefined;
}

/** Options of one enqueue. @publicApi */
export interface EnqueueOptions {
  /** Shown in logs and handed back with the item. */
  label?: string;
  /** `'wait'` mode: stop waiting for room when it aborts (the item is then not accepted). */
  signal?: AbortSignal;
}

/** An accepted item that did not run to completion, as handed to `onUnprocessed`. @publicApi */
export interface UnprocessedWorkItem {
  readonly work: WorkItem;
  /**
   * The label given at enqueue; for an item without one, `#<n>`: it was the n-th item to leave the
   * queue (to run, to be handed back, or dropped), as the queue's log lines name it.
   */
  readonly label: string;
  /**
   * True if it had started running: it gave up on its signal, or was still running at the shutdown
   * deadline or at a forced exit. It may have partly run (or may yet finish: it is not counted then).
   */
  readonly started: boolean;
}

/**
 * Why items are handed to `onUnprocessed`: `'dropped'` (evicted by a drop full mode),
 * `'shutdown'` (not completed by the shutdown deadline, or not run with `shutdown: 'abandon'`), or
 * `'forced'` (not completed when a second signal forced the exit: the process ends within about a
 * second, so persist them quickly).
 * @publicApi
 */
export type UnprocessedReason = 'shutdown' | 'dropped' | 'forced';

/**
 * What the queue holds per waiting item: the function itself, or a small record only when the
 * item has a label, so that an unlabelled pending item costs one buffer slot.
 * @internal
 */
export type QueuedItem = WorkItem | LabelledItem;

/** @internal */
export interface LabelledItem {
  readonly work: WorkItem;
  readonly label: string;
}

/** @internal */
export function workOf(item: QueuedItem): WorkItem {
  return typeof item === 'function' ? item : item.work;
}

/** @internal */
export function labelOf(item: QueuedItem, fallback: string): string {
  return typeof item === 'function' ? fallback : item.label;
}
