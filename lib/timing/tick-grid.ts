/**
 * The arithmetic schedule of a periodic timer: grid point `k` is due at `origin + k * period`
 * (`k >= 1`). Every due time is computed from the origin, never by adding periods to the previous
 * tick, so late callbacks cannot make the schedule drift.
 * @internal
 */
export class TickGrid {
  constructor(
    /** Clock time the grid starts from (grid point 0, which is never a tick). */
    readonly origin: number,
    /** Milliseconds between two grid points; finite and > 0 (validated by the caller). */
    readonly period: number,
  ) {}

  /** Clock time at which grid point `index` is due. */
  dueTime(index: number): number {
    return this.origin + index * this.period;
  }

  /**
   * Index of the latest grid point due at `now` (0 when none is). "Due" is defined by
   * {@link TickGrid.dueTime} alone, so a timer armed for `dueTime(k)` always finds `k` due when it
   * fires on time.
   */
  dueIndex(now: number): number {
    let index = Math.floor((now - this.origin) / this.period);
    // The division can land one off either side of a grid point in floating point (e.g. periods
    // like 0.1); correcting against dueTime keeps the two methods consistent with each other.
    if (this.dueTime(index + 1) <= now) index += 1;
    else if (this.dueTime(index) > now) index -= 1;
    return Math.max(0, index);
  }
}
