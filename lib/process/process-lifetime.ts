import { Inject, Injectable } from '@nestjs/common';
import { constants } from 'node:os';
import { Clock, TimerHandle } from '../clock/clock';
import { isHostingError } from '../errors/hosting-error';
import { InvalidHostStateError } from '../errors/invalid-host-state.error';
import { MisconfigurationError } from '../errors/misconfiguration.error';
import { ExitCode, HOSTING_OPTIONS } from '../hosting.constants';
import { HostingLogger } from '../hosting.logger';
import { Messages } from '../hosting.messages';
import { HostApplicationLifetime, StopReason } from '../lifecycle/application-lifetime';
import type { Host } from '../lifecycle/host';
import { describeReason } from '../lifecycle/stop-reason';
import { ClosableApplication, releaseNestShutdownHooks } from '../nest/nest-internals';
import { NormalizedHostingOptions } from '../options/normalize-options';
import { exitCodeFor } from './exit-code';
import { ProcessExit } from './process-exit';
import { ForcedExitHooks } from './forced-exit';
import { KeepAlive } from './keep-alive';
import { SignalListener } from './signal-listener';

/** The lifetime running under runHost() in this process, if any: one process, one owner. */
const running: { current: unknown } = { current: undefined };

/** What Nest's teardown gets, at least, after the hosted services have used their budget. */
const TEARDOWN_GRACE_MS = 1_000;
/**
 * How long a signal that arrives after the start but before `runHost(app)` waits for it (main()
 * is still in `app.listen()`): then runHost handles it gracefully; else it is left to whoever
 * else listens, or, if nobody does, ends the process as it would have without the library.
 */
const RUNNER_ATTACH_GRACE_MS = 500;

/**
 * The one owner of the process lifetime (.NET's `IHostLifetime` / `ConsoleLifetime`): signals,
 * keep-alive, the one path every stop request takes, and when the process ends with which code
 * ({@link exitCodeFor} computes it from the run's outcome; {@link ProcessExit} writes it). The
 * host reports outcomes and the Nest bridge reports the host's phases; neither touches `process`.
 *
 * Two ways to run, and what each can do:
 * - under {@link ProcessLifetime.run} (`runHost(app)`, the way the README documents): it owns
 *   SIGINT/SIGTERM for the whole run, and any stop (a signal, `stopApplication()`, a `'stopHost'`
 *   fault) closes the application with `app.close()` and then ends the process with its code;
 * - without it (Nest's own `enableShutdownHooks()`, a test, an app closed by hand): Nest closes
 *   the application on a signal, and this only corrects the exit code and forces on a second
 *   signal; a stop requested from inside can stop the hosted services but cannot close the
 *   application, which it says in an error log.
 * It listens to SIGINT/SIGTERM from the start until the application closes: a signal during the
 * start cancels it, a signal during a stop forces the exit, and under `runHost` a signal stops.
 * Otherwise it stays out of the way: a signal that Nest's shutdown hooks or another listener
 * handle is theirs, and with no listener at all it ends the process as Node's default would have
 * (once {@link RUNNER_ATTACH_GRACE_MS} has shown that no runHost() is on its way).
 * @internal
 */
@Injectable()
export class ProcessLifetime {
  #host: Host | undefined;
  #runner:
    | { readonly app: ClosableApplication; readonly close: (signal?: string) => Promise<void>; closing?: Promise<void> }
    | undefined;
  /** A stop asked for before the host could act on it: acted on once the start completes. */
  #pending: StopReason | undefined;
  /** Why the stop began. */
  #reason: StopReason | undefined;
  /** The first shutdown signal this lifetime handled. */
  #signal: NodeJS.Signals | undefined;
  #cancelledBy: NodeJS.Signals | undefined;
  #forcedBy: NodeJS.Signals | undefined;
  #closeFailed = false;
  /** Nest's teardown outlived the close's bound under runHost. */
  #closeAbandoned = false;
  /** From the start until the application closed: the signal listener is on. */
  #active = false;
  /** A signal that came after the start with no runHost() yet: it may still come (`app.listen()`). */
  #early: { readonly signal: NodeJS.Signals; readonly timer: TimerHandle } | undefined;
  #starting = false;
  /** The refusal line of a request made during the start, waiting for a runHost() that may come. */
  #refusal: TimerHandle | undefined;
  #stopping = false;
  #forcing = false;
  #finished = false;
  #stopDone: Promise<void> | undefined;
  /** Settles runHost()'s promise (just before the process ends). */
  #onFinished: (() => void) | undefined;
  readonly #signals: SignalListener;
  readonly #keepAlive = new KeepAlive();

  constructor(
    @Inject(HOSTING_OPTIONS) private readonly options: NormalizedHostingOptions,
    private readonly clock: Clock,
    private readonly lifetime: HostApplicationLifetime,
    private readonly forcedExit: ForcedExitHooks,
    private readonly log: HostingLogger,
  ) {
    this.#signals = new SignalListener(clock, (signal) => this.#onSignal(signal));
  }

  /** The exit code the run deserves so far. */
  get exitCode(): number {
    const outcome = this.#host?.outcome ?? { failed: false, abandoned: false };
    return exitCodeFor({
      ...outcome,
      forcedBy: outcome.forcedBy ?? this.#forcedBy,
      failed: outcome.failed || this.#closeFailed,
      abandoned: outcome.abandoned || this.#closeAbandoned,
      cancelledBy: this.#cancelledBy,
    });
  }

  /** Connects the host this lifetime runs (once the application has discovered its services). */
  attach(host: Host): void {
    this.#host = host;
  }

  // ── The host's phases, as the Nest bridge reports them ──────────────────────────────────────

  /** The start begins: hold the event loop, and let a signal cancel a startup that hangs. */
  starting(): void {
    this.#starting = true;
    this.#active = true;
    if (this.options.keepAlive) this.#keepAlive.hold();
    this.#sync();
  }

  /** The start failed or was cancelled (and rolled back): nothing runs, nothing is held. */
  startFailed(error: unknown): void {
    this.#starting = false;
    this.#active = false;
    if (running.current === this) running.current = undefined;
    this.#keepAlive.release();
    this.#sync();
    // Cancelled by a signal: end as that signal would have, once main() has handled the rejection.
    // A startup that failed by itself stays a failure, even if a signal came during its rollback.
    if (this.#signal && isHostingError(error, 'HOSTING_START_CANCELLED')) {
      this.#cancelledBy = this.#signal;
      ProcessExit.setCode(this.exitCode, 'unlessSet');
    }
  }

  /** Every service started: act on a stop asked for during the start. */
  started(): void {
    this.#starting = false;
    this.#sync();
    const pending = this.#pending;
    this.#pending = undefined;
    // On the next turn, so that main() can attach runHost(app) first and the stop closes the app.
    if (pending) setImmediate(() => this.requestStop(pending, { deferred: true }));
  }

  /**
   * Stops the hosted services (idempotent): the one path to `host.stop()`, whoever asks (a stop
   * request, or the first of Nest's teardown hooks). A signal during it forces the exit.
   */
  stopHost(reason: StopReason = { kind: 'close' }): Promise<void> {
    return (this.#stopDone ??= this.#stopHost(reason));
  }

  /** Nest's teardown finished (`onApplicationShutdown`), `signal` being the one Nest closed on. */
  closed(signal?: string): void {
    if (this.#runner) return; // runHost ends the process once app.close() has resolved
    this.#keepAlive.release();
    this.#finished = true;
    this.#active = false;
    this.#cancelEarly();
    this.#refusal?.cancel(); // the application was closed after all
    this.#sync();
    if (signal !== undefined && signal in constants.signals) {
      // Nest's shutdown hook closed the app and is about to re-raise the signal (or to exit 0):
      // a stop that was not clean must end with its own code instead.
      const code = this.exitCode;
      if (code !== ExitCode.Clean) ProcessExit.withCodeOnReraise(signal as NodeJS.Signals, code);
    }
  }

  // ── Stop requests ───────────────────────────────────────────────────────────────────────────

  /** The one path for every stop request: a signal, `stopApplication()`, a `'stopHost'` fault. */
  requestStop(reason: StopReason, { deferred = false } = {}): void {
    const host = this.#host;
    if (!host || host.state === 'idle' || (this.#starting && reason.kind === 'application')) {
      this.#pending ??= reason; // the start completes first, then it stops (started before stopping)
      return;
    }
    if (reason.kind === 'signal') this.#signal ??= reason.signal;
    this.#reason ??= reason;
    if (host.state === 'starting') {
      void this.stopHost(reason); // cancels the start, which rolls back and rejects app.init()
      return;
    }
    if (host.state === 'started') this.lifetime.notify('stopping'); // refuse new work at once
    if (this.#runner) return this.#close();
    if (host.state !== 'started') return; // already stopping (app.close(), a signal): the code is recorded
    // Nobody can close the application: stop what can be stopped, and say so. A process that then
    // ends by itself (nothing else holds it) ends with the run's code: a crashed worker never exits 0.
    if (reason.kind !== 'signal') this.#refuse(reason, deferred);
    if (reason.kind === 'fault') ProcessExit.setCode(ExitCode.Fault, 'atLeast'); // at once, whatever the stop does
    void this.stopHost(reason).then(() => ProcessExit.setCode(this.exitCode, 'atLeast'));
  }

  /**
   * Says that nothing can close the app. A request made during the start waits (up to
   * {@link RUNNER_ATTACH_GRACE_MS}) for a runHost() that `main()` may still be about to call, after
   * `app.listen()`: it then closes the app, and the line would be false.
   */
  #refuse(reason: StopReason, deferred: boolean): void {
    const say = (): void => {
      if (!this.#runner) this.log.errorLine(Messages.noRunner(describeReason(reason)));
    };
    if (deferred) this.#refusal = this.clock.setTimer(say, RUNNER_ATTACH_GRACE_MS);
    else say();
  }

  // ── runHost(app) ────────────────────────────────────────────────────────────────────────────

  /**
   * Runs `app` until a stop is asked for, then closes it and ends the process with the run's
   * exit code. Takes over SIGINT/SIGTERM from Nest's shutdown hooks, if they were enabled.
   */
  run(app: ClosableApplication): Promise<void> {
    if (this.#runner) throw new InvalidHostStateError('run', 'already run by runHost()');
    if (this.#finished) throw new InvalidHostStateError('run', 'closed');
    if (running.current) throw new MisconfigurationError(Messages.secondRunner());
    running.current = this;
    const close = app.close.bind(app);
    this.#runner = { app, close };
    // A close the application's own code asks for (a /shutdown endpoint) takes the runner's path too,
    // so that the process ends after it, once.
    app.close = (signal?: string): Promise<void> => {
      this.#reason ??= { kind: 'close' };
      this.#close(signal);
      return this.#runner!.closing!;
    };
    const nestSignals = releaseNestShutdownHooks(app);
    if (nestSignals.length > 0) this.log.debug(Messages.tookOverShutdownHooks(nestSignals));
    this.#signals.alsoHandle(nestSignals);
    this.#active = true;
    this.#sync();
    const early = this.#early?.signal;
    this.#cancelEarly();
    // A stop asked for before runHost() (from onStarted, a fault at startup) closes the app now.
    if (this.#reason) this.#close();
    else if (early) this.requestStop({ kind: 'signal', signal: early });
    return new Promise<void>((resolve) => {
      this.#onFinished = resolve;
    });
  }

  /**
   * Closes the application once, for at most `shutdownTimeout` plus {@link TEARDOWN_GRACE_MS}:
   * the hosted services have the budget (the host enforces it), and Nest's teardown after them
   * (providers' hooks, the HTTP server's close) gets what is left of it, and at least the grace.
   * A teardown that outlives that bound (a request stalled mid-body keeps `server.close()`
   * waiting) is abandoned: the process exits 124, saying so.
   */
  #close(signal: string | undefined = this.#signal): void {
    const runner = this.#runner!;
    runner.closing ??= (async () => {
      const budget = this.options.shutdownTimeout;
      const bound = Number.isFinite(budget) ? budget + TEARDOWN_GRACE_MS : Infinity;
      let timer: TimerHandle | undefined;
      const timedOut = new Promise<'timedOut'>((resolve) => {
        if (Number.isFinite(bound)) timer = this.clock.setTimer(() => resolve('timedOut'), bound);
      });
      const closed = runner.close(signal).then(
        () => 'closed' as const,
        (error: unknown) => {
          this.#closeFailed = true;
          this.log.error(Messages.closeFailed(), error);
          return 'closed' as const;
        },
      );
      if ((await Promise.race([closed, timedOut])) === 'timedOut') {
        this.#closeAbandoned = true;
        this.log.errorLine(Messages.closeTimedOut(bound));
      }
      timer?.cancel();
      this.#finish();
    })();
  }

  /** The application closed under runHost: end the process with the code the run deserves. */
  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#active = false;
    if (running.current === this) running.current = undefined;
    this.#keepAlive.release();
    this.#sync();
    const code = this.exitCode;
    this.#onFinished?.();
    // A clean stop after a signal ends by that signal, as Nest does, so a parent sees why it ended.
    if (code === ExitCode.Clean && this.#signal) ProcessExit.bySignal(this.#signal);
    else ProcessExit.now(code);
  }

  // ── Signals ─────────────────────────────────────────────────────────────────────────────────

  #onSignal(signal: NodeJS.Signals): void {
    if (this.#forcing || this.#stopping || this.#runner?.closing) return this.#force(signal);
    if (this.#starting || this.#runner) return this.requestStop({ kind: 'signal', signal });
    this.#early ??= { signal, timer: this.clock.setTimer(() => this.#noRunnerCame(signal), RUNNER_ATTACH_GRACE_MS) };
  }

  /** No runHost() came for an early signal: leave it to other listeners, or end as Node would. */
  #noRunnerCame(signal: NodeJS.Signals): void {
    this.#early = undefined;
    if (this.#runner || this.#reason || this.#stopping || process.listenerCount(signal) > 1) return;
    this.#active = false;
    this.#keepAlive.release();
    this.#sync();
    ProcessExit.bySignal(signal);
  }

  #cancelEarly(): void {
    this.#early?.timer.cancel();
    this.#early = undefined;
  }

  /**
   * A signal during a stop: give up waiting, hand back what the queues still hold (for a short,
   * bounded time), and exit with 128 + n. A further signal exits at once.
   */
  #force(signal: NodeJS.Signals): void {
    if (this.#forcing) return ProcessExit.now(this.exitCode);
    this.#forcing = true;
    this.#finished = true;
    this.#forcedBy = signal;
    if (this.#host?.state === 'stopped') this.log.errorLine(Messages.forcedAfterStop(signal));
    this.#host?.abandon(signal);
    this.#keepAlive.release();
    void this.forcedExit.run(signal).then(() => ProcessExit.now(this.exitCode));
  }

  async #stopHost(reason: StopReason): Promise<void> {
    const host = this.#host;
    if (!host) return;
    this.#stopping = true;
    this.#sync();
    try {
      await host.stop(this.#reason ?? reason);
    } catch {
      // Logged by the host and reflected in the exit code.
    } finally {
      this.#stopping = false;
      if (!this.#runner) this.#keepAlive.release();
      this.#sync();
    }
  }

  #sync(): void {
    this.#signals.listening = this.#forcing || (this.#active && !this.#finished);
  }
}
