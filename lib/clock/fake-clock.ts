import { finiteNumber } from '../options/validate';
import { checkTimer, Clock, TimerHandle } from './clock';

interface FakeTimer {
  readonly due: number;
  readonly seq: number;
  readonly callback: () => void;
}

/**
 * A clock that only moves when told to. Timers fire in due order (ties in creation order) while
 * {@link FakeClock.advance} moves time forward, and promise continuations get to run between two
 * timers, so async code driven by it behaves as it would in real time, only instantly.
 * @publicApi
 * @example
 * const clock = new FakeClock();
 * const moduleRef = await Test.createTestingModule({ ... }).overrideProvider(Clock).useValue(clock).compile();
 * await clock.advance(5_000); // five seconds pass; every timer due in them has fired
 */
export class FakeClock extends Clock {
  #now: number;
  #seq = 0;
  #timers = new Set<FakeTimer>();

  /**
   * @param start the reading of `now()` at first: a finite number.
   * @throws InvalidOptionError naming `start` otherwise (a NaN start would make every reading NaN).
   */
  constructor(start = 0) {
    super();
    this.#now = finiteNumber('start', start);
  }

  now(): number {
    return this.#now;
  }

  setTimer(callback: () => void, ms: number): TimerHandle {
    // Same rules as the real clock, so a bad duration fails in tests as it would in production.
    const timer: FakeTimer = { due: this.#now + checkTimer(callback, ms), seq: this.#seq++, callback };
    this.#timers.add(timer);
    return { cancel: () => void this.#timers.delete(timer) };
  }

  /** How many timers are scheduled and not yet fired or cancelled: a leak check after close. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way (including timers
   * those timers schedule), and lets pending promise work settle after each one.
   *
   * `ms` must be a finite number >= 0, else the returned promise rejects with InvalidOptionError
   * naming `ms` and time does not move. `Infinity` is refused rather than read as "run every
   * timer": a repeating timer (a PeriodicTimer, a timed service) re-arms forever, so it would
   * never return. For the same reason, a finite but huge `ms` with a repeating timer takes as long
   * as firing every one of its ticks.
   */
  async advance(ms: number): Promise<void> {
    const target = this.#now + finiteNumber('ms', ms, undefined, { min: 0 });
    await settle();
    for (let next = this.#nextDue(target); next; next = this.#nextDue(target)) {
      this.#timers.delete(next);
      this.#now = Math.max(this.#now, next.due);
      next.callback();
      await settle();
    }
    this.#now = target;
  }

  /** Fires whatever is due now (timers of 0 ms) without moving time. */
  async runDue(): Promise<void> {
    await this.advance(0);
  }

  #nextDue(limit: number): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.#timers) {
      if (t.due <= limit && (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq))) best = t;
    }
    return best;
  }
}

/**
 * Lets queued promise continuations (and the immediates they schedule) run before time moves on.
 * Several real event-loop turns, because async code chains microtask hops and the host yields one
 * turn per lifecycle phase after a deadline; ten turns cost microseconds.
 */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
