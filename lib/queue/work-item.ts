import { ServiceScope } from '../scope/service-scope.interface';

/**
 * A unit of background work: called once, with a signal that aborts when it should give up (the
 * shutdown deadline, or at once with the `'abandon'` shutdown policy).
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
  readonly label: string;
  /** True if it had started running (and was abandoned at the deadline): it may have partly run. */
  readonly started: boolean;
}

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
