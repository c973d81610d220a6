import { DynamicModule, Module, Provider } from '@nestjs/common';
import { Clock, SystemClock } from './clock/clock';
import { InvalidOptionError } from './errors/invalid-option.error';
import { HOSTING_OPTIONS } from './hosting.constants';
import { HostingLogger } from './hosting.logger';
import {
  HostedServicesModuleAsyncOptions,
  HostedServicesModuleOptions,
  HostedServicesOptionsFactory,
} from './interfaces/hosting-options.interface';
import { HostApplicationLifetime } from './lifecycle/application-lifetime';
import { HostedServicesOrchestrator } from './nest/hosted-services.orchestrator';
import { NormalizedHostingOptions, normalizeOptions } from './options/normalize-options';
import { ForcedExitHooks } from './process/forced-exit';
import { ProcessLifetime } from './process/process-lifetime';
import { QueueRegistry } from './queue/queue-registry';
import { ServiceScopeFactory } from './scope/service-scope-factory';

// HostingLogger, ForcedExitHooks, QueueRegistry and ProcessLifetime are internal (not in lib/index.ts); they are
// exported so that the library's other modules (the task queues) log where, and only if, the host
// does, hand back their items on a forced exit, and claim their names once per application; and
// so that runHost(app) finds the process lifetime of the app it runs.
const EXPORTS = [
  HostApplicationLifetime,
  Clock,
  ServiceScopeFactory,
  HostingLogger,
  ForcedExitHooks,
  QueueRegistry,
  ProcessLifetime,
];

/**
 * Hosts every `@HostedService()` provider of the application: starts them in order once the
 * application has bootstrapped, stops them in reverse under `shutdownTimeout` when it shuts down.
 * Import it once, in the root module; it is global.
 * @publicApi
 * @example
 * @Module({ imports: [HostedServicesModule.forRoot({ shutdownTimeout: 10_000 })], providers: [Worker] })
 * class AppModule {}
 */
@Module({})
export class HostedServicesModule {
  /** Registers the module with static options (validated now: a bad value throws here). */
  static forRoot(options: HostedServicesModuleOptions = {}): DynamicModule {
    const normalized = normalizeOptions(options);
    return createModule([{ provide: HOSTING_OPTIONS, useValue: normalized }]);
  }

  /** Registers the module with options produced by DI (validated when the factory resolves). */
  static forRootAsync(options: HostedServicesModuleAsyncOptions): DynamicModule {
    const ways = [options?.useFactory, options?.useClass, options?.useExisting].filter((w) => w !== undefined);
    if (ways.length !== 1) {
      throw new InvalidOptionError(
        'forRootAsync options',
        'an object with exactly one of useFactory, useClass, useExisting',
        options,
      );
    }
    const providers: Provider[] = [];
    if (options.useFactory) {
      const factory = options.useFactory;
      providers.push({
        provide: HOSTING_OPTIONS,
        useFactory: async (...args: unknown[]) => normalizeOptions(await factory(...args)),
        inject: options.inject ?? [],
      });
    } else {
      const type = (options.useClass ?? options.useExisting)!;
      if (options.useClass) providers.push(type);
      providers.push({
        provide: HOSTING_OPTIONS,
        useFactory: async (f: HostedServicesOptionsFactory) => normalizeOptions(await f.createHostedServicesOptions()),
        inject: [type],
      });
    }
    return { ...createModule(providers), imports: options.imports ?? [] };
  }
}

function createModule(optionProviders: Provider[]): DynamicModule {
  return {
    module: HostedServicesModule,
    global: true,
    providers: [
      ...optionProviders,
      {
        provide: HostingLogger,
        useFactory: (options: NormalizedHostingOptions) => new HostingLogger(options.logger),
        inject: [HOSTING_OPTIONS],
      },
      { provide: Clock, useClass: SystemClock },
      HostApplicationLifetime,
      ServiceScopeFactory,
      ForcedExitHooks,
      QueueRegistry,
      ProcessLifetime,
      HostedServicesOrchestrator,
    ],
    exports: EXPORTS,
  };
}
