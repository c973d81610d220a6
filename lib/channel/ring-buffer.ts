/** Slots a buffer starts with. */
const MIN_SLOTS = 16;
/** Rings up to this many slots (8 KiB) never shrink. */
const KEEP_SLOTS = 1024;

/**
 * A FIFO queue that can also drop its newest item: a ring of power-of-two slots that doubles when
 * full and, above {@link KEEP_SLOTS}, halves when three quarters empty.
 *
 * It exists because the channel sits on the hot path of every queued work item: `Array#shift` is
 * O(n) once an array leaves V8's fast path, and a linked list costs one object per item. Here an
 * item costs one slot (8 bytes, at most 4 slots per item right before a shrink) and no allocation.
 * `undefined` marks an empty slot and an empty buffer, so items must not be `undefined`.
 * @internal
 */
export class RingBuffer<T> {
  private slots: (T | undefined)[] = filledArray(MIN_SLOTS);
  /** Index of the oldest item. */
  private head = 0;
  /** `slots.length - 1`; slots.length is a power of two, so `& mask` is a cheap modulo. */
  private mask = MIN_SLOTS - 1;
  private size = 0;

  /** Number of items held. */
  get length(): number {
    return this.size;
  }

  /** Appends `item` as the newest. */
  push(item: T): void {
    if (this.size > this.mask) this.grow();
    this.slots[(this.head + this.size) & this.mask] = item;
    this.size++;
  }

  /** Removes and returns the oldest item, or `undefined` when empty. */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.slots[this.head];
    // Clear the slot so the buffer does not keep a consumed item alive.
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.size--;
    this.shrinkIfSparse();
    return item;
  }

  /** Removes and returns the newest item, or `undefined` when empty. */
  pop(): T | undefined {
    if (this.size === 0) return undefined;
    const index = (this.head + this.size - 1) & this.mask;
    const item = this.slots[index];
    this.slots[index] = undefined;
    this.size--;
    this.shrinkIfSparse();
    return item;
  }

  /** Removes every item and returns them oldest first. */
  takeAll(): T[] {
    const items = new Array<T>(this.size);
    for (let i = 0; i < this.size; i++) items[i] = this.slots[(this.head + i) & this.mask] as T;
    this.slots = filledArray(MIN_SLOTS);
    this.head = 0;
    this.mask = MIN_SLOTS - 1;
    this.size = 0;
    return items;
  }

  /**
   * Halves a large ring once it is at most a quarter full, so memory follows a burst back down.
   * Small rings keep their slots, and shrinking at a quarter (not at half) keeps a buffer that
   * hovers around one size from reallocating back and forth: a consumer typically empties the
   * buffer many times per second.
   */
  private shrinkIfSparse(): void {
    if (this.mask >= KEEP_SLOTS && this.size <= (this.mask + 1) >>> 2) this.shrink((this.mask + 1) >>> 1);
  }

  /**
   * Doubles a full ring. Concatenating the ring with itself allocates the new array packed and at
   * its final size in one copy, and the items then already sit in order from `head`: only the
   * slots outside them need clearing. (Filling a fresh array by pushing, reallocating as it grew,
   * cost about 35 ns a slot on a large ring: 40 % of a million items through an unbounded channel.)
   */
  private grow(): void {
    const slots = this.slots.concat(this.slots);
    const end = this.head + this.size;
    for (let i = 0; i < this.head; i++) slots[i] = undefined;
    for (let i = end; i < slots.length; i++) slots[i] = undefined;
    this.slots = slots;
    this.mask = slots.length - 1;
  }

  /** Halves the ring, moving the items to the front; `slice` keeps the new array packed. */
  private shrink(slotCount: number): void {
    const next = this.slots.slice(0, slotCount);
    for (let i = 0; i < this.size; i++) next[i] = this.slots[(this.head + i) & this.mask];
    for (let i = this.size; i < slotCount; i++) next[i] = undefined;
    this.slots = next;
    this.head = 0;
    this.mask = slotCount - 1;
  }
}

/**
 * An array of `length` `undefined` values, built by pushing so that V8 keeps it packed:
 * `new Array(n)` is holey, and every read of a holey array also checks for a hole.
 * @internal
 */
function filledArray<T>(length: number): (T | undefined)[] {
  const array: (T | undefined)[] = [];
  for (let i = 0; i < length; i++) array.push(undefined);
  return array;
}
