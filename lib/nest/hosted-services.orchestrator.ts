import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { constants } from 'node:os';
import { Clock } from '../clock/clock';
import { isHostingError } from '../errors/hosting-error';
import { ExitCode, HOSTING_OPTIONS } from '../hosting.constants';
import { HostingLogger } from '../hosting.logger';
import { Messages } from '../hosting.messages';
import { HostApplicationLifetime, StopReason } from '../lifecycle/application-lifetime';
import { Host } from '../lifecycle/host';
import { NormalizedHostingOptions } from '../options/normalize-options';
import { KeepAlive } from '../process/keep-alive';
import { ProcessSignals } from '../process/process-signals';
import { discoverHostedServices } from './hosted-service.explorer';
import { LifecycleBridge } from './lifecycle-bridge';
import { ModuleLike } from './nest-internals';

/**
 * The one provider that owns Nest's hooks for the hosted services: finds them at module init,
 * starts them after every bootstrap hook, stops them before any teardown hook, and routes stop
 * requests (signals, stopApplication(), faults) onto one graceful path.
 * @internal
 */
@Injectable()
export class HostedServicesOrchestrator implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown, OnApplicationShutdown {
  readonly #bridge = new LifecycleBridge();
  readonly #signals: ProcessSignals;
  readonly #keepAlive = new KeepAlive();
  #host: Host | undefined;
  #deferred: StopReason | undefined;
  /** Why stopping began: kept so that a stop that arrives later through Nest's hooks reports it. */
  #reason: StopReason | undefined;
  /** From the start until it settled, rollback included: the library owns signals then (no app yet). */
  #startInProgress = false;

  constructor(
    @Inject(HOSTING_OPTIONS) private readonly options: NormalizedHostingOptions,
    private readonly modules: ModulesContainer,
    private readonly clock: Clock,
    private readonly lifetime: HostApplicationLifetime,
    private readonly log: HostingLogger,
  ) {
    this.#signals = new ProcessSignals(clock, {
      first: (signal) => this.#requestStop({ kind: 'signal', signal }),
      second: (signal) => this.#force(signal),
      isStarting: () => this.#startInProgress,
    });
  }

  /** The host, once the application has initialized. */
  get host(): Host | undefined {
    return this.#host;
  }

  onModuleInit(): void {
    // Validation errors surface here, so app.init() rejects before anything starts.
    const entries = discoverHostedServices(this.#moduleRefs());
    this.#host = new Host(entries, this.options, this.clock, this.log, this.lifetime, (r) => this.#requestStop(r));
    this.lifetime.attach(this.log, (r) => this.#requestStop(r));
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.#bridge.startAfterBootstrap(this.#moduleRefs(), () => this.#start())) await this.#start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.#stopHost({ kind: 'close' });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.#stopHost({ kind: 'close' });
  }

  onApplicationShutdown(): void {
    this.#bridge.restore();
    this.#signals.finish(this.#host?.exitCode ?? 0);
  }

  async #start(): Promise<void> {
    const host = this.#host!;
    this.#signals.arm();
    if (this.options.keepAlive) this.#keepAlive.hold();
    this.#bridge.guardTeardown(this.#moduleRefs(), this, () => this.#stopHost({ kind: 'close' }));
    this.#startInProgress = true;
    try {
      await host.start();
    } catch (error) {
      // No teardown hook will run for an application that failed to start: clean up here.
      this.#keepAlive.release();
      this.#bridge.restore();
      // Startup cancelled by a signal: exit as that signal would have (130, 143) once main() returns.
      // A startup that failed by itself stays a failure, even if a signal came during its rollback.
      if (this.#signals.signal && isHostingError(error, 'HOSTING_START_CANCELLED')) process.exitCode ??= ExitCode.ForcedBase + (constants.signals[this.#signals.signal] ?? 0);
      this.#signals.disarm();
      throw error;
    } finally {
      this.#startInProgress = false;
    }
    const pending = this.#deferred;
    if (pending) {
      // stopApplication() during startup: act once main() has had its turn to enable shutdown hooks.
      this.#deferred = undefined;
      setImmediate(() => this.#requestStop(pending));
    }
  }

  /** One path for every stop request; never throws (errors are the host's to log). */
  #requestStop(reason: StopReason): void {
    const host = this.#host;
    if (!host) return;
    if (host.state === 'starting' && reason.kind === 'application') {
      this.#deferred ??= reason; // let the start finish, then stop (started fires before stopping)
      return;
    }
    this.#reason ??= reason;
    if (host.state !== 'starting') this.lifetime.notify('stopping');
    // A crashed worker must not exit 0 (the .NET 11 fix), with or without shutdown hooks.
    if (reason.kind === 'fault') process.exitCode ||= ExitCode.Fault;
    if (reason.kind !== 'signal' && host.state !== 'starting' && this.#signals.raiseSelf()) return;
    void this.#stopHost(reason); // the stop's outcome is logged by the host and read back at finish
    if (reason.kind !== 'signal' && host.state !== 'stopped' && !this.#signals.processLevel) this.log.warn(Messages.noShutdownHooks());
  }

  /** A second signal: abandon whatever still runs, report it, and exit now. */
  #force(signal: NodeJS.Signals): void {
    this.#host?.abandon(signal);
    this.#keepAlive.release();
    this.#bridge.restore();
    this.#signals.disarm();
    process.exit(this.#host?.exitCode ?? 1);
  }

  async #stopHost(reason: StopReason): Promise<void> {
    try {
      await this.#host?.stop(this.#reason ?? reason);
    } catch {
      // Logged by the host and reflected in the exit code; Nest 11 would skip later hooks if we threw.
    } finally {
      this.#keepAlive.release();
    }
  }

  #moduleRefs(): Iterable<ModuleLike> {
    return this.modules.values();
  }
}
