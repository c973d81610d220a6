import { Clock, TimerHandle } from '../clock/clock';
import { SIGNAL_COALESCE_MS } from '../hosting.constants';

/** What the signal listener asks of the host. @internal */
export interface SignalHandlers {
  /** The first shutdown signal: stop gracefully (cancelling a start in progress). */
  first(signal: NodeJS.Signals): void;
  /** A second signal during shutdown: give up waiting, report, and exit now. */
  second(signal: NodeJS.Signals): void;
  /** Whether the host is starting (a signal then cancels startup even before Nest listens). */
  isStarting(): boolean;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
/** How long to hold the event loop open for the signal Nest re-raises at the end of its close. */
const RERAISE_KEEPALIVE_MS = 5_000;
/** Marks this library's listeners, so that no instance (another app in the process) takes one for Nest's. */
const OWN_LISTENER = Symbol.for('nestjs-hosting.signal-listener');

/**
 * Listens to SIGINT and SIGTERM next to Nest's own shutdown-hook listeners, and owns the exit code.
 *
 * Node delivers a signal to every listener. Nest's (`app.enableShutdownHooks()`) runs the graceful
 * close and ignores repeats; this one adds what Nest lacks: the first signal starts stopping the
 * hosted services at once (cancelling a hung startup, even before Nest listens), a second signal
 * escalates instead of being ignored, and the exit code reflects how the stop went. With no
 * shutdown hooks and no other listener, it gets out of the way: the signal is re-raised so the
 * process ends exactly as it would have without the library.
 * @internal
 */
export class ProcessSignals {
  #armed = false;
  #baseline = new Map<NodeJS.Signals, Set<unknown>>();
  #selfPending: NodeJS.Signals | undefined;
  #keepAlive: TimerHandle | undefined;
  #received = 0;
  #lastSignal: { signal: NodeJS.Signals; at: number } | undefined;
  #finalExit: { code: number; reraise: boolean } | undefined;
  /** A stop reached the process level: a real signal, or one the library sent itself. */
  processLevel = false;
  /** The first real signal received, if any. */
  signal: NodeJS.Signals | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly handlers: SignalHandlers,
  ) {}

  readonly #listener = Object.assign((signal: NodeJS.Signals): void => this.#onSignal(signal), { [OWN_LISTENER]: true });
  readonly #onExit = (): void => {
    // Nest's `useProcessExit` ends with process.exit(0): keep the code the stop deserves.
    if (this.#finalExit && this.#finalExit.code !== 0) process.exitCode = this.#finalExit.code;
  };

  arm(): void {
    if (this.#armed) return;
    this.#armed = true;
    for (const signal of SIGNALS) {
      this.#baseline.set(signal, new Set(process.listeners(signal)));
      process.on(signal, this.#listener);
    }
  }

  disarm(): void {
    if (!this.#armed) return;
    this.#armed = false;
    for (const signal of SIGNALS) process.removeListener(signal, this.#listener);
    process.removeListener('exit', this.#onExit);
    this.#clearKeepAlive();
  }

  /** Whether the application handles shutdown signals (Nest's shutdown hooks, added after ours). */
  get shutdownHooksEnabled(): boolean {
    return this.#armed && SIGNALS.some((s) => this.#appListeners(s) > 0);
  }

  /**
   * Runs the same graceful path a SIGTERM would (for stopApplication() and faults): dispatches the
   * signal Nest listens to, to the process's listeners, synchronously. Not process.kill: a real
   * signal arrives asynchronously, does not keep the event loop alive, and in a test runner's
   * sandboxed `process` would kill the runner. Like a real signal, every application in the
   * process that listens to it stops.
   */
  raiseSelf(): boolean {
    const signal = SIGNALS.slice().reverse().find((s) => this.#appListeners(s) > 0);
    if (!signal) return false;
    if (this.#selfPending) return true;
    this.#selfPending = signal;
    this.processLevel = true;
    try {
      process.emit(signal, signal);
    } finally {
      this.#selfPending = undefined;
    }
    return true;
  }

  /**
   * Called once Nest's teardown hooks are done: after Nest re-raises the signal (or exits), the
   * process must end with `code`. A clean stop after a real signal ends the way Nest would have
   * (the re-raised signal, or 0 with `useProcessExit`); any other outcome exits with `code`.
   */
  finish(code: number): void {
    if (!this.processLevel) {
      this.disarm();
      return;
    }
    const reraise = code === 0 && this.signal !== undefined;
    this.#finalExit = { code, reraise };
    if (code !== 0) process.exitCode = code;
    process.on('exit', this.#onExit);
    this.#holdOpen();
  }

  #onSignal(signal: NodeJS.Signals): void {
    if (this.#selfPending === signal) return; // our own graceful stop request: the host already knows
    const appListening = this.#appListeners(signal) > 0;
    if (this.#finalExit && !appListening) return this.#exitAfterNest(signal);
    if (!appListening && !this.handlers.isStarting() && this.#otherListeners(signal) === 0) {
      // Nobody asked for graceful shutdown: behave as if we were not listening at all.
      this.disarm();
      process.kill(process.pid, signal);
      return;
    }
    if (this.#isRepeat(signal)) return;
    this.processLevel = true;
    this.#received++;
    if (this.#received === 1) {
      this.signal = signal;
      this.handlers.first(signal);
    } else {
      this.handlers.second(signal);
    }
  }

  /** Nest finished and re-raised the signal: end the process the way the stop deserves. */
  #exitAfterNest(signal: NodeJS.Signals): void {
    const final = this.#finalExit!;
    this.disarm();
    if (final.reraise) {
      this.#holdOpen(); // until the default action of the re-raised signal ends the process
      process.kill(process.pid, signal);
    } else {
      process.exit(final.code);
    }
  }

  /** The same signal again within a few ms is one signal delivered twice (npm forwards SIGINT). */
  #isRepeat(signal: NodeJS.Signals): boolean {
    const now = this.clock.now();
    const last = this.#lastSignal;
    this.#lastSignal = { signal, at: now };
    return last !== undefined && last.signal === signal && now - last.at < SIGNAL_COALESCE_MS;
  }

  /** Listeners added by the application after we armed, other than this library's: Nest's shutdown hooks. */
  #appListeners(signal: NodeJS.Signals): number {
    const baseline = this.#baseline.get(signal);
    return process.listeners(signal).filter((l) => !isOwn(l) && !baseline?.has(l)).length;
  }

  #otherListeners(signal: NodeJS.Signals): number {
    return process.listeners(signal).filter((l) => !isOwn(l)).length;
  }

  #holdOpen(): void {
    this.#clearKeepAlive();
    // A real timer on purpose: the point is to keep Node's event loop alive, which a fake clock cannot.
    const handle = setTimeout(() => undefined, RERAISE_KEEPALIVE_MS);
    this.#keepAlive = { cancel: () => clearTimeout(handle) };
  }

  #clearKeepAlive(): void {
    this.#keepAlive?.cancel();
    this.#keepAlive = undefined;
  }
}

function isOwn(listener: unknown): boolean {
  return typeof listener === 'function' && (listener as unknown as Record<symbol, unknown>)[OWN_LISTENER] === true;
}
