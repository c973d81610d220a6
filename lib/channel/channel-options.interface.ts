/**
 * What a bounded channel does with a write when it already holds `capacity` items. The names
 * follow .NET's `BoundedChannelFullMode`, except `'reject'` (.NET `DropWrite` silently reports
 * success; here the writer is told).
 * - `'wait'`: backpressure. `write()` waits for room; `tryWrite()` returns `false`.
 * - `'dropOldest'`: evicts the oldest buffered item to admit the new one.
 * - `'dropNewest'`: evicts the newest buffered item to admit the new one.
 * - `'reject'`: refuses the item. `write()` rejects with `ChannelFullError`; `tryWrite()` returns
 *   `false`.
 * @publicApi
 */
export type ChannelFullMode = 'wait' | 'dropOldest' | 'dropNewest' | 'reject';

/**
 * Options of `new Channel(options)`. The constructor checks every value: a bad one, or an unknown
 * key (a typo such as `capasity`), throws an `InvalidOptionError` naming it.
 * @publicApi
 */
export interface ChannelOptions<T> {
  /**
   * The most items the channel buffers: a positive integer, or `Infinity` for an unbounded
   * channel. Items held by writers waiting in `'wait'` mode are not buffered, so not counted.
   * @default Infinity
   */
  capacity?: number;

  /**
   * What a write does when the channel is full. Ignored when the channel is unbounded.
   * @default 'wait'
   */
  fullMode?: ChannelFullMode;

  /**
   * Called synchronously with every item a `'dropOldest'`/`'dropNewest'` channel evicts, so that
   * no item disappears unnoticed (a queue counts and logs them here). It is not called for items
   * refused by `'reject'`: their writer is told instead.
   *
   * It runs after the channel has been updated (the new item accepted, the evicted one gone), so
   * it may use the channel, and if it throws the channel stays consistent. Its error then
   * propagates to the write that caused the drop, as in .NET: `tryWrite()` throws it and
   * `write()` rejects with it, **although the new item was accepted**. Keep it from throwing.
   * @default undefined
   */
  onDrop?: (item: T) => void;
}
