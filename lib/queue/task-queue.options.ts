import { InvalidOptionError } from '../errors/invalid-option.error';
import { UnprocessedWorkItem } from './work-item';

/**
 * Options of one background task queue ({@link BackgroundTaskQueueModule.register}).
 * @publicApi
 */
export interface TaskQueueOptions {
  /** Name of the queue, for `@InjectQueue(name)` and log lines. @default 'default' */
  name?: string;
  /** Most items waiting to run (running ones not counted); `Infinity` for unbounded. @default 100 */
  capacity?: number;
  /**
   * When full: `'wait'` (backpressure: `enqueue` resolves when there is room), `'dropOldest'`,
   * `'dropNewest'` (the evicted item is handed to `onUnprocessed` with reason `'dropped'`), or
   * `'reject'` (`enqueue` rejects with `QueueFullError`).
   * @default 'wait'
   */
  fullMode?: 'wait' | 'dropOldest' | 'dropNewest' | 'reject';
  /** How many items run at once. @default 1 */
  concurrency?: number;
  /** Run each item in its own scope (request-scoped providers, disposed after the item). @default false */
  scopePerItem?: boolean;
  /**
   * At shutdown: `'drain'` runs the items already queued within the shutdown budget; `'abandon'`
   * runs none of them. Either way, what cannot run in time goes to `onUnprocessed`.
   * @default 'drain'
   */
  shutdown?: 'drain' | 'abandon';
  /**
   * Receives every accepted item that will not run to completion: still queued (or still running
   * and abandoned) at the shutdown deadline, or evicted by a drop mode. Persist or re-enqueue
   * them elsewhere. Without it, they are logged by label and count. A throwing callback is logged.
   */
  onUnprocessed?: (items: UnprocessedWorkItem[], reason: 'shutdown' | 'dropped') => void | Promise<void>;
}

/** @internal */
export type NormalizedTaskQueueOptions = Required<Omit<TaskQueueOptions, 'onUnprocessed'>> & Pick<TaskQueueOptions, 'onUnprocessed'>;

/** Validates queue options; InvalidOptionError names the bad value. @internal */
export function normalizeTaskQueueOptions(options: TaskQueueOptions = {}): NormalizedTaskQueueOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('queue options', 'an object', options);
  const { name = 'default', capacity = 100, fullMode = 'wait', concurrency = 1, scopePerItem = false, shutdown = 'drain', onUnprocessed } = options;
  if (typeof name !== 'string' || name.length === 0) throw new InvalidOptionError('name', 'a non-empty string', name);
  if (capacity !== Infinity && (!Number.isInteger(capacity) || capacity < 1)) throw new InvalidOptionError('capacity', 'an integer >= 1, or Infinity', capacity);
  if (!['wait', 'dropOldest', 'dropNewest', 'reject'].includes(fullMode)) throw new InvalidOptionError('fullMode', "'wait', 'dropOldest', 'dropNewest' or 'reject'", fullMode);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new InvalidOptionError('concurrency', 'an integer >= 1', concurrency);
  if (typeof scopePerItem !== 'boolean') throw new InvalidOptionError('scopePerItem', 'a boolean', scopePerItem);
  if (shutdown !== 'drain' && shutdown !== 'abandon') throw new InvalidOptionError('shutdown', "'drain' or 'abandon'", shutdown);
  if (onUnprocessed !== undefined && typeof onUnprocessed !== 'function') throw new InvalidOptionError('onUnprocessed', 'a function', onUnprocessed);
  return { name, capacity, fullMode, concurrency, scopePerItem, shutdown, onUnprocessed };
}
