import { beforeEach, describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';

import {
  FakeClock,
  HostedService,
  HostedServicesModule,
  HostedServicesModuleAsyncOptions,
  HostedServicesModuleOptions,
  HostedServicesOptionsFactory,
  InvalidOptionError,
  isHostingError,
} from '../../lib';
import { CaptureLogger } from '../helpers/capture-logger';
import { deferred } from '../helpers/deferred';
import { journal, Recorded, track, useApps } from './support/e2e';

@HostedService()
class Worker extends Recorded {}

/** A ConfigModule look-alike: options come from a provider of another module. */
@Injectable()
class ConfigService {
  readonly values: Record<string, unknown> = { SHUTDOWN_TIMEOUT: 3_000 };
  get<T>(key: string): T {
    return this.values[key] as T;
  }
}

@Module({ providers: [ConfigService], exports: [ConfigService] })
class ConfigModule {}

/** Shared between a test and the option factories below (set per test). */
let currentLogger: CaptureLogger;

@Injectable()
class HostingOptionsFromConfig implements HostedServicesOptionsFactory {
  constructor(readonly config: ConfigService) {}
  async createHostedServicesOptions(): Promise<HostedServicesModuleOptions> {
    return { shutdownTimeout: this.config.get<number>('SHUTDOWN_TIMEOUT'), logger: currentLogger };
  }
}

@Module({ imports: [ConfigModule], providers: [HostingOptionsFromConfig], exports: [HostingOptionsFromConfig] })
class HostingOptionsModule {}

type Case = [option: string, value: unknown, shown: string];
const BAD_OPTIONS: Case[] = [
  ['shutdownTimeout', -1, '`-1` (number)'],
  ['shutdownTimeout', NaN, '`NaN` (number)'],
  ['shutdownTimeout', -Infinity, '`-Infinity` (number)'],
  ['shutdownTimeout', '5000', "`'5000'` (string)"],
  ['shutdownTimeout', null, '`null` (null)'],
  ['shutdownTimeout', 2 ** 31, '`2147483648` (number)'],
  ['startupTimeout', -5, '`-5` (number)'],
  ['startupTimeout', NaN, '`NaN` (number)'],
  ['startupTimeout', '10s', "`'10s'` (string)"],
  ['startupTimeout', 10n, '`10n` (bigint)'],
  ['servicesStartConcurrently', 'yes', "`'yes'` (string)"],
  ['servicesStartConcurrently', 1, '`1` (number)'],
  ['servicesStartConcurrently', Infinity, '`Infinity` (number)'],
  ['servicesStopConcurrently', 0, '`0` (number)'],
  ['servicesStopConcurrently', 'true', "`'true'` (string)"],
  ['servicesStopConcurrently', null, '`null` (null)'],
  ['backgroundServiceExceptionBehavior', 'StopHost', "`'StopHost'` (string)"],
  ['backgroundServiceExceptionBehavior', 'crash', "`'crash'` (string)"],
  ['backgroundServiceExceptionBehavior', 1, '`1` (number)'],
  ['logger', true, '`true` (boolean)'],
  ['logger', 'console', "`'console'` (string)"],
  ['logger', null, '`null` (null)'],
  ['logger', {}, '`{}` (object)'],
  ['logger', { log(): void {} }, '(object)'], // no error()
  ['shutdownTimout', 1_000, '`1000` (number)'], // unknown key: a typo must not be ignored
];

function expectInvalidOption(error: unknown, option: string, shown: string): void {
  expect(error).toBeInstanceOf(InvalidOptionError);
  expect(error).toBeInstanceOf(TypeError);
  expect(isHostingError(error, 'HOSTING_INVALID_OPTION')).toBe(true);
  expect((error as InvalidOptionError).option).toBe(option);
  expect((error as Error).message).toContain(`\`${option}\``);
  expect((error as Error).message).toContain(shown);
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('HostedServicesModule options', () => {
  const apps = useApps();
  beforeEach(() => {
    journal.reset();
    currentLogger = new CaptureLogger();
  });

  it.each(BAD_OPTIONS)(
    'forRoot rejects %s = %p with an InvalidOptionError naming the value',
    (option, value, shown) => {
      const error = thrown(() => HostedServicesModule.forRoot({ [option]: value }));
      expectInvalidOption(error, option, shown);
      expect(Object.is((error as InvalidOptionError).value, value)).toBe(true);
    },
  );

  it.each([null, 'fast', 42])('forRoot rejects options %p that are not an object', (options) => {
    expectInvalidOption(
      thrown(() => HostedServicesModule.forRoot(options as never)),
      'options',
      '',
    );
  });

  it('forRoot accepts the boundary values', async () => {
    for (const options of [
      { shutdownTimeout: 0, startupTimeout: 0 },
      { shutdownTimeout: Infinity, startupTimeout: Infinity },
      { shutdownTimeout: 2 ** 31 - 1 },
      {
        servicesStartConcurrently: true,
        servicesStopConcurrently: false,
        backgroundServiceExceptionBehavior: 'ignore' as const,
        logger: false as const,
      },
      { logger: new CaptureLogger() },
      {},
    ]) {
      expect(() => HostedServicesModule.forRoot(options)).not.toThrow();
    }
    expect(() => HostedServicesModule.forRoot()).not.toThrow();
    expect(() => HostedServicesModule.forRoot(undefined)).not.toThrow();
  });

  async function expectShutdownTimeout(async: HostedServicesModuleAsyncOptions, ms: number): Promise<void> {
    const clock = new FakeClock();
    const app = await apps.compile(
      { imports: [HostedServicesModule.forRootAsync(async)], providers: [Worker] },
      { clock },
    );
    await app.init();
    expect(currentLogger.messages('log')).toContain('Started 1 hosted service in 0ms'); // the logger option took effect
    const entered = deferred();
    journal.when('Worker', 'stop', () => {
      entered.resolve();
      return new Promise<void>(() => undefined);
    });
    const closing = apps.close(app);
    const state = track(closing);
    await entered.promise;
    await clock.advance(ms - 1);
    expect(state.done).toBe(false);
    await clock.advance(1);
    await closing; // the shutdownTimeout option took effect
    expect(currentLogger.messages('error').join()).toContain(`Shutdown deadline of ${ms / 1000}.00s exceeded`);
  }

  it('forRootAsync: useFactory with inject from an imported config module', async () => {
    await expectShutdownTimeout(
      {
        imports: [ConfigModule],
        inject: [ConfigService],
        useFactory: (config: ConfigService) => ({
          shutdownTimeout: config.get<number>('SHUTDOWN_TIMEOUT'),
          logger: currentLogger,
        }),
      },
      3_000,
    );
  });

  it('forRootAsync: an async useFactory', async () => {
    await expectShutdownTimeout({ useFactory: async () => ({ shutdownTimeout: 2_000, logger: currentLogger }) }, 2_000);
  });

  it('forRootAsync: useClass (its own dependencies from imports)', async () => {
    await expectShutdownTimeout({ imports: [ConfigModule], useClass: HostingOptionsFromConfig }, 3_000);
  });

  it('forRootAsync: useExisting (a provider exported by an imported module)', async () => {
    await expectShutdownTimeout({ imports: [HostingOptionsModule], useExisting: HostingOptionsFromConfig }, 3_000);
  });

  it.each([
    ['none of them', {}],
    ['useFactory and useClass', { useFactory: () => ({}), useClass: HostingOptionsFromConfig }],
    ['useClass and useExisting', { useClass: HostingOptionsFromConfig, useExisting: HostingOptionsFromConfig }],
  ])('forRootAsync rejects %s with an InvalidOptionError', (_what, options) => {
    expectInvalidOption(
      thrown(() => HostedServicesModule.forRootAsync(options)),
      'forRootAsync options',
      'exactly one of useFactory, useClass, useExisting',
    );
  });

  it('forRootAsync rejects a missing options object with an InvalidOptionError', () => {
    expectInvalidOption(
      thrown(() => HostedServicesModule.forRootAsync(undefined as never)),
      'forRootAsync options',
      '`undefined`',
    );
  });

  it.each(BAD_OPTIONS.filter((_c, i) => i % 3 === 0))(
    'forRootAsync: a factory resolving %s = %p rejects compile()',
    async (option, value, shown) => {
      const compiling = apps.compile({
        imports: [HostedServicesModule.forRootAsync({ useFactory: async () => ({ [option]: value }) })],
        providers: [Worker],
      });
      await expect(compiling).rejects.toBeInstanceOf(InvalidOptionError);
      expectInvalidOption(await compiling.catch((e: unknown) => e), option, shown);
      expect(journal.calls).toEqual([]);
    },
  );

  it('forRootAsync: a useClass factory returning bad options rejects compile()', async () => {
    @Injectable()
    class BadOptions implements HostedServicesOptionsFactory {
      createHostedServicesOptions(): HostedServicesModuleOptions {
        return { backgroundServiceExceptionBehavior: 'restart' as never };
      }
    }
    const error = await apps
      .compile({ imports: [HostedServicesModule.forRootAsync({ useClass: BadOptions })] })
      .catch((e: unknown) => e);
    expectInvalidOption(error, 'backgroundServiceExceptionBehavior', "`'restart'` (string)");
  });
});
