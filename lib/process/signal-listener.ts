import { Clock } from '../clock/clock';
import { SIGNAL_COALESCE_MS } from '../hosting.constants';

/** The shutdown signals the library handles. @internal */
export const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * One listener on SIGINT and SIGTERM, on only while an application runs: a listener on a signal
 * replaces Node's default action (ending the process), so it must not outlive the application.
 *
 * The same signal again within {@link SIGNAL_COALESCE_MS} is one signal delivered twice (`npm`
 * forwards the terminal's Ctrl+C to a child the terminal already signalled), and is dropped.
 * @internal
 */
export class SignalListener {
  #on = false;
  #signals: NodeJS.Signals[] = [...SHUTDOWN_SIGNALS];
  #last: { signal: NodeJS.Signals; at: number } | undefined;
  readonly #listener = (signal: NodeJS.Signals): void => {
    if (this.#isRepeat(signal)) return;
    this.onSignal(signal);
  };

  constructor(
    private readonly clock: Clock,
    private readonly onSignal: (signal: NodeJS.Signals) => void,
  ) {}

  get listening(): boolean {
    return this.#on;
  }

  /** Turns the listener on or off (idempotent). */
  set listening(on: boolean) {
    if (on === this.#on) return;
    this.#on = on;
    for (const signal of this.#signals) {
      if (on) process.on(signal, this.#listener);
      else process.removeListener(signal, this.#listener);
    }
  }

  /** Handles `signals` as well (those Nest's shutdown hooks handled before runHost took over). */
  alsoHandle(signals: readonly NodeJS.Signals[]): void {
    for (const signal of signals) {
      if (this.#signals.includes(signal)) continue;
      this.#signals.push(signal);
      if (this.#on) process.on(signal, this.#listener);
    }
  }

  #isRepeat(signal: NodeJS.Signals): boolean {
    const now = this.clock.now();
    const last = this.#last;
    this.#last = { signal, at: now };
    return last !== undefined && last.signal === signal && now - last.at < SIGNAL_COALESCE_MS;
  }
}
