import { InvalidOptionError } from '../errors/invalid-option.error';
import { ChannelFullMode, ChannelOptions } from './channel-options.interface';

const FULL_MODES: readonly ChannelFullMode[] = ['wait', 'dropOldest', 'dropNewest', 'reject'];

/**
 * Channel options after validation, with defaults applied.
 * @internal
 */
export interface ResolvedChannelOptions<T> {
  readonly capacity: number;
  readonly fullMode: ChannelFullMode;
  readonly onDrop: ((item: T) => void) | undefined;
}

/**
 * Validates `options` and applies defaults.
 * @throws InvalidOptionError naming the first bad option and its value.
 * @internal
 */
export function resolveChannelOptions<T>(options: ChannelOptions<T> | undefined): ResolvedChannelOptions<T> {
  if (options === undefined) return { capacity: Infinity, fullMode: 'wait', onDrop: undefined };
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'an object or undefined', options);
  }
  const { capacity = Infinity, fullMode = 'wait', onDrop } = options;
  if (typeof capacity !== 'number' || !(capacity === Infinity || (Number.isInteger(capacity) && capacity > 0))) {
    throw new InvalidOptionError('capacity', 'a positive integer or Infinity', capacity);
  }
  if (!FULL_MODES.includes(fullMode)) {
    throw new InvalidOptionError('fullMode', `one of ${FULL_MODES.map((m) => `'${m}'`).join(', ')}`, fullMode);
  }
  if (onDrop !== undefined && typeof onDrop !== 'function') {
    throw new InvalidOptionError('onDrop', 'a function or undefined', onDrop);
  }
  return { capacity, fullMode, onDrop };
}

/**
 * The error for writing `undefined`, which the channel cannot hold because `tryRead()` returns
 * `undefined` for "no item".
 * @internal
 */
export function undefinedItemError(): InvalidOptionError {
  return new InvalidOptionError('item', 'any value but `undefined` (it means "no item" to `tryRead()`)', undefined);
}
