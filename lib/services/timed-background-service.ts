import { Inject, Optional } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { HOSTING_LOGGER, HostingLogger } from '../hosting.logger';
import { normalizeOptions } from '../options/normalize-options';
import { ServiceScope } from '../scope/service-scope.interface';
import { ServiceScopeFactory } from '../scope/service-scope-factory';
import { PeriodicTimer } from '../timing/periodic-timer';
import { BackgroundService } from './background-service';
import {
  NormalizedTimedOptions,
  normalizeTimedOptions,
  TimedServiceDependencies,
  TimedServiceOptions,
} from './timed-service.options';

/** For an instance Nest did not construct: the logger the module has by default (Nest's `Logger`). */
const FALLBACK_LOG = new HostingLogger(normalizeOptions().logger);

/**
 * What one run of a timed service receives.
 * @publicApi
 */
export interface TimedRun {
  /** 1 for the first run, then 2, 3, … */
  readonly run: number;
  /** Aborts when the service stops, or when `runTimeout` elapses. */
  readonly signal: AbortSignal;
  /** The run's own scope when `scopePerRun` is on (disposed after the run), else undefined. */
  readonly scope: ServiceScope | undefined;
  /** `'fixedRate'`: ticks that fell due while the previous run was going (0 when on time). */
  readonly missedTicks: number;
}

/**
 * A hosted service that runs {@link TimedBackgroundService.doWork} periodically: the .NET
 * TimedHostedService, without its overlapping runs. Runs never overlap; a run that throws is
 * logged with its number (through the host's logger, so the `logger` module option applies) and
 * the schedule goes on; stopping aborts the run's signal and waits for the run in flight, within
 * the shutdown budget.
 * @publicApi
 * @example
 * @HostedService()
 * class Cleanup extends TimedBackgroundService {
 *   constructor(clock: Clock, scopes: ServiceScopeFactory) {
 *     super({ period: 60_000, scopePerRun: true }, { clock, scopes });
 *   }
 *   protected async doWork({ scope, signal }: TimedRun) {
 *     const repo = await scope!.resolve(OrdersRepository);
 *     await repo.purgeExpired(signal);
 *   }
 * }
 */
export abstract class TimedBackgroundService extends BackgroundService {
  readonly #options: NormalizedTimedOptions;
  readonly #clock: Clock;
  readonly #scopes: ServiceScopeFactory | undefined;
  #runs = 0;

  /**
   * The host's logger, set by Nest's property injection (so subclasses need not pass it to
   * `super()`): runs log where the host does, and not at all with `logger: false`. Unset when the
   * instance was not created by Nest's injector (`useFactory`, `useValue`, `new` in a unit test);
   * runs then log through Nest's `Logger`.
   */
  @Optional()
  @Inject(HostingLogger)
  private readonly [HOSTING_LOGGER]: HostingLogger | undefined;

  protected constructor(options: TimedServiceOptions, deps: TimedServiceDependencies) {
    super();
    this.#options = normalizeTimedOptions(options, deps);
    this.#clock = deps.clock;
    this.#scopes = deps.scopes;
  }

  /** How many runs have started (the .NET sample's execution count). */
  get runCount(): number {
    return this.#runs;
  }

  get #log(): HostingLogger {
    return this[HOSTING_LOGGER] ?? FALLBACK_LOG;
  }

  /** One unit of periodic work. Honour `run.signal`: it aborts on stop and on `runTimeout`. */
  protected abstract doWork(run: TimedRun): Promise<void>;

  protected async execute(stopping: AbortSignal): Promise<void> {
    if (this.#options.schedule === 'fixedDelay') {
      if (this.#options.runOnStart && !stopping.aborted) await this.#run(stopping, 0);
      while (!stopping.aborted) {
        if (
          !(await this.#clock.delay(this.#options.period, stopping).then(
            () => true,
            () => false,
          ))
        )
          return;
        await this.#run(stopping, 0);
      }
      return;
    }
    // Created before the run on start, so the grid is anchored at start (that run is grid point 0).
    const timer = new PeriodicTimer(this.#options.period, { clock: this.#clock });
    try {
      if (this.#options.runOnStart && !stopping.aborted) await this.#run(stopping, 0);
      let lastRunEnd = this.#clock.now();
      while (await timer.waitForNextTick(stopping)) {
        const missed = timer.missedTicks;
        // 'skip': a tick that fell due while the previous run was going is dropped.
        if (this.#options.missedTicks === 'skip' && (timer.lastTickDueTime ?? Infinity) < lastRunEnd) continue;
        const times = this.#options.missedTicks === 'catchUp' ? Math.min(missed + 1, this.#options.maxCatchUp) : 1;
        for (let i = 0; i < times && !stopping.aborted; i++) await this.#run(stopping, i === 0 ? missed : 0);
        lastRunEnd = this.#clock.now();
      }
    } finally {
      timer.stop();
    }
  }

  async #run(stopping: AbortSignal, missedTicks: number): Promise<void> {
    const run = ++this.#runs;
    const controller = new AbortController();
    const onStop = (): void => controller.abort(stopping.reason);
    stopping.addEventListener('abort', onStop, { once: true });
    const timeout = Number.isFinite(this.#options.runTimeout)
      ? this.#clock.setTimer(() => {
          this.#log.runTimedOut(this.constructor.name, run, this.#options.runTimeout);
          controller.abort(new Error(`runTimeout (${this.#options.runTimeout}ms) elapsed`));
        }, this.#options.runTimeout)
      : undefined;
    const scope = this.#options.scopePerRun ? this.#scopes!.createScope() : undefined;
    if (scope) scope.unitOfWork.label = `${this.constructor.name} run #${run}`;
    try {
      await this.doWork({ run, signal: controller.signal, scope, missedTicks });
    } catch (error) {
      // An abort-caused end during shutdown is the normal way a run stops, not a failure.
      if (!(stopping.aborted && controller.signal.aborted)) this.#log.runFailed(this.constructor.name, run, error);
    } finally {
      timeout?.cancel();
      stopping.removeEventListener('abort', onStop);
      await scope
        ?.dispose()
        .catch((error: unknown) => this.#log.runScopeDisposalFailed(this.constructor.name, run, error));
    }
  }
}
