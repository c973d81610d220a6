import { InvalidOptionError } from '../errors/invalid-option.error';
import { func, keysOf, knownKeys, oneOf, optionsObject, positiveInt } from '../options/validate';
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

const KEYS = keysOf<ChannelOptions<unknown>>({ capacity: true, fullMode: true, onDrop: true });

/**
 * Validates `options` and applies defaults.
 * @throws InvalidOptionError naming the first bad option (or unknown key) and its value.
 * @internal
 */
export function resolveChannelOptions<T>(given: ChannelOptions<T> | undefined): ResolvedChannelOptions<T> {
  const options = optionsObject('options', given);
  knownKeys(options, KEYS);
  return {
    capacity: positiveInt('capacity', options.capacity, Infinity, { orInfinity: true }),
    fullMode: oneOf('fullMode', options.fullMode, FULL_MODES, 'wait'),
    onDrop: func<(item: T) => void>('onDrop', options.onDrop),
  };
}

/**
 * The error for writing `undefined`, which the channel cannot hold because `tryRead()` returns
 * `undefined` for "no item".
 * @internal
 */
export function undefinedItemError(): InvalidOptionError {
  return new InvalidOptionError('item', 'any value but `undefined` (it means "no item" to `tryRead()`)', undefined);
}
