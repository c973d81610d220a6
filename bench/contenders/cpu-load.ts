/**
 * An in-process CPU load: the event loop spins for `busyMs` every `cycleMs`, on a deadline grid so
 * the load does not drift either. The default cycle (19 ms) shares no factor with a 10 ms period,
 * so timer ticks meet every phase of it instead of always the same one.
 */
export class CpuLoad {
  #timer: NodeJS.Timeout | undefined;
  #busy = 0;
  #start = 0;

  constructor(
    private readonly busyMs = 4.75,
    private readonly cycleMs = 19,
  ) {}

  /** The share of the event loop's time the load took, since `start()`. */
  get share(): number {
    return this.#busy / (performance.now() - this.#start);
  }

  start(): void {
    this.#start = performance.now();
    this.#busy = 0;
    let cycle = 0;
    const spin = (): void => {
      const from = performance.now();
      while (performance.now() - from < this.busyMs) {
        // busy: this is the load
      }
      this.#busy += performance.now() - from;
      cycle++;
      this.#timer = setTimeout(spin, Math.max(0, this.#start + cycle * this.cycleMs - performance.now()));
    };
    this.#timer = setTimeout(spin, this.cycleMs);
  }

  stop(): void {
    clearTimeout(this.#timer);
  }
}
