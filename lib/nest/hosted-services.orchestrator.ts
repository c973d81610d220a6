import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { Clock } from '../clock/clock';
import { HOSTING_OPTIONS } from '../hosting.constants';
import { HOSTING_LOGGER, HostingLogger } from '../hosting.logger';
import { Messages } from '../hosting.messages';
import { HostApplicationLifetime } from '../lifecycle/application-lifetime';
import { Host } from '../lifecycle/host';
import { NormalizedHostingOptions } from '../options/normalize-options';
import { ProcessLifetime } from '../process/process-lifetime';
import { assertSingleHostModule } from './host-module-check';
import { discoverHostedServices } from './hosted-service.explorer';
import { refuseLateHostedServices } from './late-hosted-services';
import { LifecycleBridge } from './lifecycle-bridge';
import { ModuleLike, modulesOf } from './nest-internals';

/**
 * Bridges Nest's hooks to the host, and nothing more: finds the hosted services at module init,
 * starts them after every bootstrap hook, stops them before any teardown hook, and reports each
 * phase to the {@link ProcessLifetime}, which owns everything that touches the process.
 * @internal
 */
@Injectable()
export class HostedServicesOrchestrator
  implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown, OnApplicationShutdown
{
  readonly #bridge = new LifecycleBridge();
  #host: Host | undefined;
  #restoreLateGuard: (() => void) | undefined;

  constructor(
    @Inject(HOSTING_OPTIONS) private readonly options: NormalizedHostingOptions,
    private readonly modules: ModulesContainer,
    private readonly clock: Clock,
    private readonly lifetime: HostApplicationLifetime,
    private readonly process: ProcessLifetime,
    private readonly log: HostingLogger,
  ) {}

  /** The host, once the application has initialized. */
  get host(): Host | undefined {
    return this.#host;
  }

  onModuleInit(): void {
    // Misconfigurations surface here, so app.init() rejects before anything starts.
    assertSingleHostModule(this.#moduleRefs());
    const entries = discoverHostedServices(this.#moduleRefs());
    // A service Nest did not construct (useFactory, useValue) missed the logger's property injection.
    for (const { instance } of entries) {
      const target = instance as unknown as Record<symbol, unknown>;
      if (HOSTING_LOGGER in target && target[HOSTING_LOGGER] === undefined) target[HOSTING_LOGGER] = this.log;
    }
    this.#host = new Host(entries, this.options, this.clock, this.log, this.lifetime, (r) =>
      this.process.requestStop(r),
    );
    this.process.attach(this.#host);
    this.lifetime.attach(this.log, (r) => this.process.requestStop(r));
    this.#restoreLateGuard = refuseLateHostedServices(this.modules);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.#bridge.startAfterBootstrap(this.#moduleRefs(), () => this.#start())) await this.#start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.process.stopHost();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.process.stopHost();
  }

  onApplicationShutdown(signal?: string): void {
    this.#restore();
    this.process.closed(signal);
  }

  async #start(): Promise<void> {
    this.process.starting();
    try {
      const frozen = this.#bridge.guardTeardown(this.#moduleRefs(), this, () => this.process.stopHost());
      if (frozen.length > 0) this.log.warn(Messages.frozenTeardown(frozen.join(', ')));
      await this.#host!.start();
    } catch (error) {
      // No teardown hook will run for an application that failed to start: clean up here.
      this.#restore();
      this.process.startFailed(error);
      throw error;
    }
    this.process.started();
  }

  #restore(): void {
    this.#bridge.restore();
    this.#restoreLateGuard?.();
    this.#restoreLateGuard = undefined;
  }

  #moduleRefs(): Iterable<ModuleLike> {
    return modulesOf(this.modules);
  }
}
