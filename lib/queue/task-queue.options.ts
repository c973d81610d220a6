import { bool, func, keysOf, knownKeys, nonEmptyString, oneOf, optionsObject, positiveInt } from '../options/validate';
import { UnprocessedReason, UnprocessedWorkItem } from './work-item';

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
   * Receives every accepted item that will not run to completion: evicted by a drop mode
   * (`'dropped'`), not completed by the shutdown deadline or given up under `'abandon'`
   * (`'shutdown'`), or not completed when a second signal forced the exit (`'forced'`: the process
   * ends about a second later). Persist or re-enqueue them elsewhere. May be called several
   * times. Without it, they are logged by label. A throwing callback is logged.
   */
  onUnprocessed?: (items: UnprocessedWorkItem[], reason: UnprocessedReason) => void | Promise<void>;
}

/** The validated options, with defaults applied. @internal */
export type NormalizedTaskQueueOptions = Required<Omit<TaskQueueOptions, 'onUnprocessed'>> &
  Pick<TaskQueueOptions, 'onUnprocessed'>;

const KEYS = keysOf<TaskQueueOptions>({
  name: true,
  capacity: true,
  fullMode: true,
  concurrency: true,
  scopePerItem: true,
  shutdown: true,
  onUnprocessed: true,
});

const FULL_MODES: ReadonlyArray<TaskQueueOptions['fullMode'] & string> = ['wait', 'dropOldest', 'dropNewest', 'reject'];

/**
 * Validates queue options and applies the defaults. Throws InvalidOptionError naming the bad
 * value, or an unknown key (a typo such as `capasity` would otherwise leave the default in place).
 * @internal
 */
export function normalizeTaskQueueOptions(given?: TaskQueueOptions): NormalizedTaskQueueOptions {
  const options = optionsObject('queue options', given);
  knownKeys(options, KEYS);
  return {
    name: nonEmptyString('name', options.name, 'default'),
    capacity: positiveInt('capacity', options.capacity, 100, { orInfinity: true }),
    fullMode: oneOf('fullMode', options.fullMode, FULL_MODES, 'wait'),
    concurrency: positiveInt('concurrency', options.concurrency, 1),
    scopePerItem: bool('scopePerItem', options.scopePerItem, false),
    shutdown: oneOf('shutdown', options.shutdown, ['drain', 'abandon'], 'drain'),
    onUnprocessed: func<NonNullable<TaskQueueOptions['onUnprocessed']>>('onUnprocessed', options.onUnprocessed),
  };
}
