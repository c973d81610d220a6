import { Clock, TimerHandle } from '../clock/clock';
import { HostStartCancelledError } from '../errors/host-start-cancelled.error';
import { HostStartTimeoutError } from '../errors/host-start-timeout.error';
import { InvalidHostStateError } from '../errors/invalid-host-state.error';
import { HostingLogger, formatMs } from '../hosting.logger';
import { Messages } from '../hosting.messages';
import { HostedLifecycleService } from '../interfaces/hosted-service.interface';
import { NormalizedHostingOptions } from '../options/normalize-options';
import { exitCodeFor, RunOutcome } from '../process/exit-code';
import { isAbortCaused } from '../utils/abort';
import { combineErrors } from '../utils/errors';
import { HostApplicationLifetime, StopReason } from './application-lifetime';
import { ExecutionMonitor } from './execution-monitor';
import { HookCalls, Phase } from './hook-calls';
import { runPhase } from './run-phase';
import { describeReason, startCancellation } from './stop-reason';

/** A hosted service as the host knows it. @internal */
export interface HostedServiceEntry {
  readonly name: string;
  readonly instance: HostedLifecycleService;
}

/** The host's state: `idle` → `starting` → `started` → `stopping` → `stopped`. @publicApi */
export type HostState = 'idle' | 'starting' | 'started' | 'stopping' | 'stopped';

/**
 * Starts hosted services in order and stops the ones that started in exact reverse, under one
 * shutdown deadline (the .NET `Host`, with fx's rollback). It knows nothing of Nest.
 *
 * Order of `start()`: `starting` hooks → `start` → `started` hooks → lifetime `started`. Each
 * phase is a barrier. A failure or the startup timeout rolls back the started services, then
 * rethrows the original error.
 * Order of `stop()`: lifetime `stopping` → `stopping` hooks → `stop` → `stopped` hooks (each in
 * reverse start order, only for services whose `start` completed) → lifetime `stopped`. Every
 * started service gets its stop calls, errors are collected; at the deadline the stop signal
 * aborts and the host stops waiting.
 * @internal
 */
export class Host {
  #state: HostState = 'idle';
  #started: HostedServiceEntry[] = [];
  #startController: AbortController | undefined;
  #startDone: Promise<void> | undefined;
  #startSettled = false;
  #stopDone: Promise<void> | undefined;
  readonly #stopController = new AbortController();
  readonly #calls = new HookCalls();
  readonly #monitor: ExecutionMonitor;
  #stopErrors: unknown[] = [];
  #startFailed = false;
  #abandoned = 0;
  #forcedBy: NodeJS.Signals | undefined;

  constructor(
    readonly entries: readonly HostedServiceEntry[],
    private readonly options: NormalizedHostingOptions,
    private readonly clock: Clock,
    private readonly log: HostingLogger,
    private readonly lifetime: HostApplicationLifetime,
    requestStop: (reason: StopReason) => void,
  ) {
    this.#monitor = new ExecutionMonitor(log, options.backgroundServiceExceptionBehavior, requestStop);
  }

  get state(): HostState {
    return this.#state;
  }

  /** The exit code this run deserves so far (the process lifetime adds what only it sees). */
  get exitCode(): number {
    return exitCodeFor(this.outcome);
  }

  /** How the run went so far: what the process lifetime turns into an exit code. */
  get outcome(): RunOutcome {
    // With 'ignore', a background fault is only logged: it does not reach the exit code.
    const faulted = this.#monitor.faults > 0 && this.options.backgroundServiceExceptionBehavior === 'stopHost';
    return {
      forcedBy: this.#forcedBy,
      failed: faulted || this.#stopErrors.length > 0 || this.#startFailed,
      abandoned: this.#abandoned > 0,
      requested: this.lifetime.requestedExitCode,
    };
  }

  /** Starts every service; rejects (after rolling back) if any fails or startup is cancelled. */
  start(): Promise<void> {
    if (this.#state !== 'idle') return Promise.reject(new InvalidHostStateError('start', this.#state));
    this.#state = 'starting';
    this.#startDone = this.#start().finally(() => (this.#startSettled = true));
    return this.#startDone;
  }

  /** Stops the host (idempotent: every call gets the same promise). Cancels a start in progress. */
  stop(reason: StopReason = { kind: 'close' }): Promise<void> {
    return (this.#stopDone ??= this.#stop(reason));
  }

  /**
   * Gives up at once (a second shutdown signal): aborts every signal, stops waiting, logs what is
   * abandoned. `stop()` then settles promptly.
   */
  abandon(signal: NodeJS.Signals): void {
    this.#forcedBy ??= signal;
    this.#startController?.abort(new HostStartCancelledError(`forced by a second ${signal}`));
    this.#reportAbandoned(`Forced by a second ${signal}`);
    this.#stopController.abort(new HostStartCancelledError(`forced by a second ${signal}`));
  }

  async #start(): Promise<void> {
    const t0 = this.clock.now();
    const controller = (this.#startController = new AbortController());
    let timer: TimerHandle | undefined;
    if (Number.isFinite(this.options.startupTimeout)) {
      const fire = (): void =>
        controller.abort(
          new HostStartTimeoutError(this.options.startupTimeout, this.#calls.describeRunning(this.clock.now())),
        );
      timer = this.clock.setTimer(fire, this.options.startupTimeout);
    }
    this.log.hostStarting(this.entries.length);
    try {
      await this.#startPhase('starting', this.entries, controller.signal);
      this.#started = await this.#startPhase('start', this.entries, controller.signal);
      await this.#startPhase('started', this.#started, controller.signal);
    } catch (error) {
      timer?.cancel();
      this.#startFailed = !this.#forcedBy && !(error instanceof HostStartCancelledError);
      this.log.startFailed(error);
      await this.#stopStarted('rolling back a failed start');
      this.#state = 'stopped';
      throw error;
    }
    timer?.cancel();
    this.#state = 'started';
    this.log.hostStarted(this.entries.length, this.clock.now() - t0);
    this.lifetime.notify('started');
  }

  async #startPhase(
    phase: Phase,
    services: readonly HostedServiceEntry[],
    signal: AbortSignal,
  ): Promise<HostedServiceEntry[]> {
    const concurrent = this.options.servicesStartConcurrently;
    const result = await runPhase(services, (s) => this.#call(s, phase, signal), {
      concurrent,
      stopOnError: !concurrent,
      signal,
      callAfterAbort: false,
    });
    if (phase === 'start') this.#started = result.completed; // so a rollback stops exactly these
    if (signal.aborted) throw signal.reason;
    if (result.errors.length > 0)
      throw combineErrors(result.errors, 'HOSTING_START_FAILED', Messages.startFailed(result.errors.length));
    return result.completed;
  }

  async #stop(reason: StopReason): Promise<void> {
    if (this.#startDone && !this.#startSettled) {
      // Starting, or rolling back a failed start: cancel it and let it finish its own rollback.
      this.#startController?.abort(startCancellation(reason));
      await this.#startDone.catch(() => undefined); // the start's own caller gets its error
    }
    if (this.#state === 'idle') {
      this.#state = 'stopped';
      this.lifetime.notify('stopping');
      this.lifetime.notify('stopped');
    }
    if (this.#state !== 'started') return; // never started, or a failed start already rolled back
    await this.#stopStarted(describeReason(reason));
    this.#state = 'stopped';
    if (this.#stopErrors.length > 0)
      throw combineErrors(this.#stopErrors, 'HOSTING_STOP_FAILED', Messages.stopFailed(this.#stopErrors.length));
  }

  /** Stops the started services in reverse, under the shutdown budget (also the start rollback). */
  async #stopStarted(why: string): Promise<void> {
    this.#state = 'stopping';
    const t0 = this.clock.now();
    this.lifetime.notify('stopping');
    this.log.hostStopping(why);
    const signal = this.#stopController.signal;
    const budget = this.options.shutdownTimeout;
    const timer = Number.isFinite(budget)
      ? this.clock.setTimer(
          () => this.#stopController.abort(new Error(`shutdownTimeout (${budget}ms) elapsed`)),
          budget,
        )
      : undefined;
    const services = [...this.#started].reverse();
    for (const phase of ['stopping', 'stop', 'stopped'] as const) {
      const concurrent = this.options.servicesStopConcurrently;
      const result = await runPhase(services, (s) => this.#call(s, phase, signal), {
        concurrent,
        stopOnError: false,
        signal,
        callAfterAbort: true,
      });
      this.#stopErrors.push(...result.errors.filter((e) => !isAbortCaused(e, signal)));
    }
    timer?.cancel();
    if (signal.aborted && !this.#forcedBy) this.#reportAbandoned(`Shutdown deadline of ${formatMs(budget)} exceeded`);
    this.lifetime.notify('stopped');
    this.log.hostStopped(this.clock.now() - t0);
  }

  /** Calls one hook of one service, tracking it while it runs and logging its outcome. */
  #call(service: HostedServiceEntry, phase: Phase, signal: AbortSignal): Promise<void> | undefined {
    const instance = service.instance;
    if (typeof instance[phase] !== 'function') return undefined;
    const since = this.clock.now();
    const done = this.#calls.begin(service, phase, since);
    if (phase === 'stop') this.#monitor.stopping(service);
    let promise: Promise<void>;
    try {
      promise = Promise.resolve(instance[phase](signal));
    } catch (error) {
      promise = Promise.reject(error);
    }
    return promise.then(
      () => {
        done();
        this.log.step(service.name, phase, this.clock.now() - since);
        if (phase === 'start') this.#monitor.watch(service, this.clock.now());
      },
      (error: unknown) => {
        done();
        if (signal === this.#stopController.signal && isAbortCaused(error, signal)) {
          // It honoured the deadline: that is an abandonment (reported once, exit 124), not a failure.
          this.#calls.gaveUp(service, phase, this.clock.now() - since);
        } else {
          this.log.phaseFailed(service.name, phase, error);
        }
        throw error;
      },
    );
  }

  #reportAbandoned(why: string): void {
    const now = this.clock.now();
    const entries = this.#calls.abandoned(now, this.#monitor.stillExecuting(now));
    this.#abandoned = Math.max(this.#abandoned, entries.length);
    this.log.abandoned(why, entries);
  }
}
