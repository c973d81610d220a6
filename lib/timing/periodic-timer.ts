import { Clock, TimerHandle } from '../clock/clock';
import { HostingError } from '../errors/hosting-error';
import { optionalSignal } from '../options/validate';
import { PeriodicTimerOptions, resolveClock, validatePeriod } from './periodic-timer.options';
import { TickGrid } from './tick-grid';

interface Waiter {
  readonly resolve: (ticked: boolean) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/**
 * A timer to await in a loop, after .NET's `PeriodicTimer`: one consumer at a time, and ticks that
 * fall due while the consumer is busy coalesce into one (an auto-reset event), so the work never
 * overlaps itself.
 *
 * Ticks are due on a fixed grid, `start + k * period`, so the schedule does not drift however late
 * the consumer or the clock's callbacks run. After a busy spell the next tick is delivered at once,
 * and the ones after it stay on the original grid. {@link PeriodicTimer.missedTicks} tells how many
 * grid points were folded into the latest tick, for callers that want to catch up or skip.
 * @publicApi
 * @example
 * using timer = new PeriodicTimer(30_000, { clock });
 * while (await timer.waitForNextTick(stoppingSignal)) {
 *   await doWork(); // however long this takes, the next tick comes at most once, right after
 * }
 */
export class PeriodicTimer implements Disposable {
  readonly #clock: Clock;
  #grid: TickGrid;
  /** Grid index of the latest consumed tick (0: none yet on this grid). */
  #consumed = 0;
  /** Ticks left unconsumed on a grid replaced by changePeriod, with the latest one's due time. */
  #owed = 0;
  #owedDueTime = 0;
  #missed = 0;
  #lastDueTime: number | undefined;
  #stopped = false;
  #waiter: Waiter | undefined;
  /** Armed only while someone waits: between waits a missed tick is derived from the grid. */
  #timer: TimerHandle | undefined;

  /**
   * Starts the schedule: the first tick is due `periodMs` from now.
   * @param periodMs milliseconds between ticks: a number > 0 and at most 2^31-1 (`MAX_TIMER_MS`).
   * @throws InvalidOptionError (option `period`, `options`, `clock`, or an unknown key) for a bad
   * argument.
   */
  constructor(periodMs: number, options?: PeriodicTimerOptions) {
    validatePeriod(periodMs);
    this.#clock = resolveClock(options);
    this.#grid = new TickGrid(this.#clock.now(), periodMs);
  }

  /** Milliseconds between ticks. */
  get period(): number {
    return this.#grid.period;
  }

  /**
   * How many grid points the latest tick delivered by {@link PeriodicTimer.waitForNextTick} stands
   * for beyond itself: ticks that fell due while nobody waited and were coalesced into it. 0 for a
   * consumer that keeps up, and before the first tick.
   * @example const runs = policy === 'catchUp' ? 1 + timer.missedTicks : 1;
   */
  get missedTicks(): number {
    return this.#missed;
  }

  /**
   * Clock time the latest delivered tick was due: the newest grid point it stands for
   * (`undefined` before the first tick). `clock.now() - lastTickDueTime` is how late it came.
   */
  get lastTickDueTime(): number | undefined {
    return this.#lastDueTime;
  }

  /**
   * Waits for the next tick. Resolves `true` on the tick (at once if one fell due since the last
   * call), and `false` once the timer is stopped or `signal` aborts: both mean "leave the loop", so
   * neither is an exception. An abort does not consume a tick that is already due.
   * @param signal ends this wait only; the timer keeps its schedule.
   * @returns a promise rejected with `HOSTING_INVALID_STATE` if another call is still waiting, or
   * with InvalidOptionError naming `signal` if it is given but is not an AbortSignal; either way
   * the timer is left as it was, ready for the next call.
   */
  waitForNextTick(signal?: AbortSignal): Promise<boolean> {
    try {
      // Checked before the waiter is registered, so a bad signal leaves the timer as it was.
      optionalSignal('signal', signal);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#waiter) {
      return Promise.reject(
        new HostingError(
          'HOSTING_INVALID_STATE',
          'PeriodicTimer.waitForNextTick() was called while a previous call was still waiting: ' +
            'a PeriodicTimer serves one consumer at a time, so await each call before the next.',
        ),
      );
    }
    // Stopping voids any unconsumed tick (as .NET's Dispose does), and an abort wins over a due
    // tick: either way the caller's loop must end now rather than run its body once more.
    if (this.#stopped || signal?.aborted) return Promise.resolve(false);
    if (this.#consume()) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const onAbort = (): void => this.#settle(false);
      this.#waiter = { resolve, signal, onAbort };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#arm();
    });
  }

  /**
   * Restarts the schedule from now with a new period (the next tick is due `periodMs` from now),
   * like setting .NET's `PeriodicTimer.Period`. A tick already due and not yet consumed stays
   * pending, and a pending wait follows the new schedule.
   * @throws InvalidOptionError (option `period`) for a bad period; the timer is then unchanged.
   */
  changePeriod(periodMs: number): void {
    validatePeriod(periodMs);
    const now = this.#clock.now();
    const due = this.#grid.dueIndex(now);
    if (due > this.#consumed) {
      this.#owed += due - this.#consumed;
      this.#owedDueTime = this.#grid.dueTime(due);
    }
    this.#grid = new TickGrid(now, periodMs);
    this.#consumed = 0;
    if (!this.#waiter) return;
    this.#timer?.cancel();
    this.#timer = undefined;
    if (this.#consume()) this.#settle(true);
    else this.#arm();
  }

  /**
   * Stops the timer for good: a pending wait resolves `false`, as does every later one, and no
   * timer or abort listener is left behind. Calling it again does nothing.
   */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#settle(false);
  }

  /** Same as {@link PeriodicTimer.stop}, for `using timer = new PeriodicTimer(...)`. */
  [Symbol.dispose](): void {
    this.stop();
  }

  /** Takes the pending tick, if any grid point fell due since the last one taken. */
  #consume(): boolean {
    const due = this.#grid.dueIndex(this.#clock.now());
    // Clamped in case a custom clock steps backwards: that must delay ticks, not invent them.
    const fresh = Math.max(0, due - this.#consumed);
    const pending = this.#owed + fresh;
    if (pending === 0) return false;
    this.#missed = pending - 1;
    this.#lastDueTime = fresh > 0 ? this.#grid.dueTime(due) : this.#owedDueTime;
    this.#owed = 0;
    if (fresh > 0) this.#consumed = due;
    return true;
  }

  /** Arms the single clock timer for the first grid point after the latest consumed one. */
  #arm(): void {
    const dueTime = this.#grid.dueTime(this.#consumed + 1);
    // Clamped: the point can fall due between #consume() and here, and clocks refuse negative delays.
    this.#timer = this.#clock.setTimer(() => this.#onTimer(), Math.max(0, dueTime - this.#clock.now()));
  }

  #onTimer(): void {
    this.#timer = undefined;
    if (!this.#waiter) return;
    // Real timers can fire slightly early against the clock's reading (Node rounds to whole ms),
    // so the grid, not the callback, decides whether the tick is due; if not, wait out the rest.
    if (this.#consume()) this.#settle(true);
    else this.#arm();
  }

  /** Resolves the pending wait, if any, leaving no timer or abort listener behind. */
  #settle(ticked: boolean): void {
    const waiter = this.#waiter;
    if (!waiter) return;
    this.#waiter = undefined;
    this.#timer?.cancel();
    this.#timer = undefined;
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
    waiter.resolve(ticked);
  }
}
