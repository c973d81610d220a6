import { setInterval as intervalIterator } from 'node:timers/promises';
import { PeriodicTimer } from '../../lib/timing/periodic-timer';

/**
 * One delivered tick: the grid point `k` it stands for (tick `k` is due `k × period` after the
 * start), and when it arrived, in ms after the timer was created (`performance.now()`), so that
 * lateness is measured against the ideal schedule whatever the contender does internally.
 */
export interface Tick {
  readonly index: number;
  readonly at: number;
}

/** One way to tick every `periodMs` until grid point `periods`; resolves with every tick. */
export type TickRunner = (periods: number, periodMs: number) => Promise<Tick[]>;

/** Ticks of a timer that delivers every grid point, one by one: tick `i` stands for point `i + 1`. */
const inOrder = (arrivals: readonly number[]): Tick[] => arrivals.map((at, i) => ({ index: i + 1, at }));

/** The floor: a hand-rolled deadline timer, each `setTimeout` aimed at `start + k × period`. */
export const deadlineTimeout: TickRunner = (periods, periodMs) =>
  new Promise((resolve) => {
    const arrivals: number[] = [];
    const start = performance.now();
    const arm = (): void => {
      const due = start + (arrivals.length + 1) * periodMs;
      setTimeout(
        () => {
          const now = performance.now();
          // Node rounds timeouts to whole ms, so a timer can fire a little early: wait out the rest.
          if (now < due) return arm();
          arrivals.push(now - start);
          if (arrivals.length < periods) arm();
          else resolve(inOrder(arrivals));
        },
        Math.max(0, due - performance.now()),
      );
    };
    arm();
  });

/**
 * Ours: `while (await timer.waitForNextTick())`. When the event loop stalls for more than a period,
 * the grid points that fell due meanwhile coalesce into one tick (by design, as in .NET), which
 * stands for the newest of them: `missedTicks` tells how many it folded in.
 */
export const periodicTimer: TickRunner = async (periods, periodMs) => {
  const ticks: Tick[] = [];
  const start = performance.now();
  const timer = new PeriodicTimer(periodMs);
  let index = 0;
  try {
    while (index < periods && (await timer.waitForNextTick())) {
      index += 1 + timer.missedTicks;
      ticks.push({ index, at: performance.now() - start });
    }
  } finally {
    timer.stop();
  }
  return ticks;
};

/** `setInterval(callback, period)`. */
export const plainInterval: TickRunner = (periods, periodMs) =>
  new Promise((resolve) => {
    const arrivals: number[] = [];
    const start = performance.now();
    const handle = setInterval(() => {
      arrivals.push(performance.now() - start);
      if (arrivals.length < periods) return;
      clearInterval(handle);
      resolve(inOrder(arrivals));
    }, periodMs);
  });

/** `for await (const _ of setInterval(period))` from `node:timers/promises`. */
export const promisesInterval: TickRunner = async (periods, periodMs) => {
  const arrivals: number[] = [];
  const start = performance.now();
  for await (const _ of intervalIterator(periodMs)) {
    arrivals.push(performance.now() - start);
    if (arrivals.length >= periods) break;
  }
  return inOrder(arrivals);
};
