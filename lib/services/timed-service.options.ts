import { Clock } from '../clock/clock';
import { InvalidOptionError } from '../errors/invalid-option.error';
import { MAX_TIMER_MS } from '../hosting.constants';
import { timeout } from '../options/normalize-options';
import { ServiceScopeFactory } from '../scope/service-scope-factory';

/**
 * How a {@link TimedBackgroundService} schedules its runs.
 * @publicApi
 */
export interface TimedServiceOptions {
  /** Milliseconds between runs. */
  period: number;
  /** Run once right away at start, as the .NET samples do. @default true */
  runOnStart?: boolean;
  /**
   * - `'fixedDelay'`: wait `period` after each run ends (runs can never pile up);
   * - `'fixedRate'`: run on a fixed grid (start + k·period) with no drift; a run that overruns
   *   makes ticks due while it runs, handled by `missedTicks`.
   * Runs never overlap either way.
   * @default 'fixedDelay'
   */
  schedule?: 'fixedDelay' | 'fixedRate';
  /**
   * `'fixedRate'` only: what to do with ticks that fell due while a run was still going.
   * - `'runOnce'`: run once at once for all of them (coalesced, like .NET's PeriodicTimer);
   * - `'skip'`: drop them and wait for the next tick on the grid;
   * - `'catchUp'`: run once for each of them, back to back (at most `maxCatchUp` in a row).
   * @default 'runOnce'
   */
  missedTicks?: 'runOnce' | 'skip' | 'catchUp';
  /** `'catchUp'` only: the most missed runs replayed in a row. @default 10 */
  maxCatchUp?: number;
  /** Abort each run's signal after this many ms (the run is still waited for: runs never overlap). */
  runTimeout?: number;
  /** Give each run its own scope (request-scoped providers, disposed after the run). @default false */
  scopePerRun?: boolean;
}

/** The validated options. @internal */
export interface NormalizedTimedOptions {
  readonly period: number;
  readonly runOnStart: boolean;
  readonly schedule: 'fixedDelay' | 'fixedRate';
  readonly missedTicks: 'runOnce' | 'skip' | 'catchUp';
  readonly maxCatchUp: number;
  readonly runTimeout: number;
  readonly scopePerRun: boolean;
}

/** What a timed service needs injected: the clock, and a scope factory for `scopePerRun`. @publicApi */
export interface TimedServiceDependencies {
  clock: Clock;
  scopes?: ServiceScopeFactory;
}

/** Validates the options (InvalidOptionError naming the bad value). @internal */
export function normalizeTimedOptions(options: TimedServiceOptions, deps: TimedServiceDependencies): NormalizedTimedOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('timed service options', 'an object', options);
  const { period } = options;
  if (typeof period !== 'number' || !Number.isFinite(period) || period <= 0 || period > MAX_TIMER_MS) {
    throw new InvalidOptionError('period', `a number of ms greater than 0 and at most ${MAX_TIMER_MS}`, period);
  }
  const schedule = oneOf('schedule', options.schedule, ['fixedDelay', 'fixedRate'] as const);
  const missedTicks = oneOf('missedTicks', options.missedTicks, ['runOnce', 'skip', 'catchUp'] as const);
  const maxCatchUp = options.maxCatchUp ?? 10;
  if (!Number.isInteger(maxCatchUp) || maxCatchUp < 1) throw new InvalidOptionError('maxCatchUp', 'an integer >= 1', options.maxCatchUp);
  for (const name of ['runOnStart', 'scopePerRun'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'boolean') throw new InvalidOptionError(name, 'a boolean', options[name]);
  }
  if (!(deps?.clock instanceof Clock)) throw new InvalidOptionError('clock', 'the injected Clock', deps?.clock);
  if (options.scopePerRun && !(deps.scopes instanceof ServiceScopeFactory)) {
    throw new InvalidOptionError('scopes', 'the injected ServiceScopeFactory (scopePerRun is on)', deps.scopes);
  }
  return {
    period,
    runOnStart: options.runOnStart ?? true,
    schedule,
    missedTicks,
    maxCatchUp,
    runTimeout: timeout('runTimeout', options.runTimeout, Infinity),
    scopePerRun: options.scopePerRun ?? false,
  };
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (value === undefined) return allowed[0];
  if (!(allowed as readonly unknown[]).includes(value)) throw new InvalidOptionError(name, allowed.map((a) => `'${a}'`).join(' or '), value);
  return value as T;
}
