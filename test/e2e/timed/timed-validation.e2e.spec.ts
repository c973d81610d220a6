import { describe, expect, it } from '@jest/globals';
import { Inject, Optional } from '@nestjs/common';

import {
  Clock,
  FakeClock,
  HostedService,
  HostedServicesModule,
  InvalidOptionError,
  isHostingError,
} from '../../../lib';
import { ServiceScopeFactory } from '../../../lib/scope/service-scope-factory';
import { TimedBackgroundService } from '../../../lib/services/timed-background-service';
import { TimedServiceOptions } from '../../../lib/services/timed-service.options';
import { settled, useApps } from '../support/e2e';
import { NestLogSpy } from './timed.e2e-fixtures';

const CASE = Symbol('CASE');

/** What the service under test is constructed with. */
interface Case {
  options: unknown;
  /** Pass no clock in the dependencies (a subclass that forgot to forward it). */
  withoutClock?: boolean;
  /** Pass no scope factory in the dependencies (same mistake). */
  withoutScopes?: boolean;
}

@HostedService()
class Configured extends TimedBackgroundService {
  constructor(clock: Clock, @Inject(CASE) given: Case, @Optional() scopes?: ServiceScopeFactory) {
    super(given.options as TimedServiceOptions, {
      clock: given.withoutClock ? (undefined as unknown as Clock) : clock,
      scopes: given.withoutScopes ? undefined : scopes,
    });
  }
  protected async doWork(): Promise<void> {}
}

describe('TimedBackgroundService options, checked when Nest constructs the service', () => {
  const apps = useApps();

  /** Compiles a module whose timed service gets `given`. */
  function compile(given: Case) {
    const clock = new FakeClock();
    const providers = [Configured, { provide: CASE, useValue: given }, ServiceScopeFactory];
    const compiling = apps.compile(
      { imports: [HostedServicesModule.forRoot({ logger: false })], providers },
      { clock, configure: (builder) => builder.setLogger(new NestLogSpy()) },
    );
    return { clock, compiling };
  }

  const period = 1_000;
  const invalid: Array<[string, Case, string, unknown, string]> = [
    ['period 0', { options: { period: 0 } }, 'period', 0, 'got `0` (number)'],
    ['period -1', { options: { period: -1 } }, 'period', -1, 'got `-1` (number)'],
    ['period NaN', { options: { period: NaN } }, 'period', NaN, 'got `NaN` (number)'],
    ['period Infinity', { options: { period: Infinity } }, 'period', Infinity, 'got `Infinity` (number)'],
    ["period '5'", { options: { period: '5' } }, 'period', '5', "got `'5'` (string)"],
    ['period missing', { options: {} }, 'period', undefined, 'got `undefined` (undefined)'],
    ['period above 2^31-1', { options: { period: 2 ** 31 } }, 'period', 2 ** 31, 'got `2147483648` (number)'],
    ['unknown schedule', { options: { period, schedule: 'cron' } }, 'schedule', 'cron', "got `'cron'` (string)"],
    [
      'unknown missedTicks',
      { options: { period, missedTicks: 'drop' } },
      'missedTicks',
      'drop',
      "got `'drop'` (string)",
    ],
    ['maxCatchUp 0', { options: { period, maxCatchUp: 0 } }, 'maxCatchUp', 0, 'got `0` (number)'],
    ['maxCatchUp 1.5', { options: { period, maxCatchUp: 1.5 } }, 'maxCatchUp', 1.5, 'got `1.5` (number)'],
    ['runTimeout -1', { options: { period, runTimeout: -1 } }, 'runTimeout', -1, 'got `-1` (number)'],
    ['runTimeout NaN', { options: { period, runTimeout: NaN } }, 'runTimeout', NaN, 'got `NaN` (number)'],
    ["runOnStart 'yes'", { options: { period, runOnStart: 'yes' } }, 'runOnStart', 'yes', "got `'yes'` (string)"],
    ['runOnStart 1', { options: { period, runOnStart: 1 } }, 'runOnStart', 1, 'got `1` (number)'],
    [
      "scopePerRun 'true'",
      { options: { period, scopePerRun: 'true' } },
      'scopePerRun',
      'true',
      "got `'true'` (string)",
    ],
    ['missing clock', { options: { period }, withoutClock: true }, 'clock', undefined, 'got `undefined` (undefined)'],
    ['options null', { options: null }, 'timed service options', null, 'got `null` (null)'],
    ['a misspelt option', { options: { period, runOnstart: false } }, 'runOnstart', false, 'got `false` (boolean)'],
  ];

  it.each(invalid)(
    '%s: compile() rejects with InvalidOptionError naming the option and the value',
    async (_name, given, option, value, got) => {
      const { clock, compiling } = compile(given);
      const result = await settled(compiling);
      expect(result.ok).toBe(false);
      const error = (result as { error: unknown }).error;
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect(isHostingError(error, 'HOSTING_INVALID_OPTION')).toBe(true);
      expect(error).toMatchObject({ option });
      expect(Object.is((error as InvalidOptionError).value, value)).toBe(true);
      expect((error as Error).message).toMatch(new RegExp(`^Expected \`${option}\` to be `));
      expect((error as Error).message).toContain(got);
      expect(clock.pendingTimers).toBe(0);
    },
  );

  it('scopePerRun without a scope factory in the dependencies: compile() rejects, naming the missing factory', async () => {
    const { compiling } = compile({ options: { period, scopePerRun: true }, withoutScopes: true });
    const result = await settled(compiling);
    expect(result.ok).toBe(false);
    const error = (result as { error: unknown }).error;
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ option: 'scopes', value: undefined });
    expect((error as Error).message).toContain('ServiceScopeFactory');
  });

  it.each<[string, TimedServiceOptions]>([
    ['the defaults', { period }],
    [
      'every option set',
      {
        period: 1,
        runOnStart: false,
        schedule: 'fixedRate',
        missedTicks: 'catchUp',
        maxCatchUp: 3,
        runTimeout: 0,
        scopePerRun: true,
      },
    ],
    [
      'the largest period, no timeout',
      { period: 2 ** 31 - 1, runTimeout: Infinity, runOnStart: true, scopePerRun: false },
    ],
  ])('accepts %s', async (_name, options) => {
    const { compiling } = compile({ options });
    const app = await compiling;
    expect(app.get(Configured).runCount).toBe(0);
  });
});
