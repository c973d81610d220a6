import { Clock, isClock } from '../clock/clock';
import {
  bool,
  check,
  keysOf,
  knownKeys,
  oneOf,
  optionsObject,
  period,
  positiveInt,
  timeout,
} from '../options/validate';
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

/**
 * What a timed service needs injected: the clock, and a scope factory for `scopePerRun`. The
 * host's logger is not among them: Nest injects it into the service by itself.
 * @publicApi
 */
export interface TimedServiceDependencies {
  clock: Clock;
  scopes?: ServiceScopeFactory;
}

const KEYS = keysOf<TimedServiceOptions>({
  period: true,
  runOnStart: true,
  schedule: true,
  missedTicks: true,
  maxCatchUp: true,
  runTimeout: true,
  scopePerRun: true,
});

/**
 * Validates the options and the dependencies (InvalidOptionError naming the bad value, or an
 * unknown key).
 * @internal
 */
export function normalizeTimedOptions(
  given: TimedServiceOptions,
  deps: TimedServiceDependencies,
): NormalizedTimedOptions {
  // Required, unlike most options objects: a timed service has no default period.
  const options = optionsObject('timed service options', given, { required: true });
  knownKeys(options, KEYS);
  const normalized: NormalizedTimedOptions = {
    period: period('period', options.period),
    runOnStart: bool('runOnStart', options.runOnStart, true),
    schedule: oneOf('schedule', options.schedule, ['fixedDelay', 'fixedRate'], 'fixedDelay'),
    missedTicks: oneOf('missedTicks', options.missedTicks, ['runOnce', 'skip', 'catchUp'], 'runOnce'),
    maxCatchUp: positiveInt('maxCatchUp', options.maxCatchUp, 10),
    runTimeout: timeout('runTimeout', options.runTimeout, Infinity),
    scopePerRun: bool('scopePerRun', options.scopePerRun, false),
  };
  check('clock', deps?.clock, isClock, 'the injected Clock');
  if (normalized.scopePerRun) {
    const isFactory = (s: unknown): s is ServiceScopeFactory => s instanceof ServiceScopeFactory;
    check('scopes', deps.scopes, isFactory, 'the injected ServiceScopeFactory (scopePerRun is on)');
  }
  return normalized;
}
