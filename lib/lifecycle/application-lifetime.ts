import { Injectable } from '@nestjs/common';
import { InvalidOptionError } from '../errors/invalid-option.error';
import { check } from '../options/validate';
import { HostingLogger } from '../hosting.logger';

/** The lifetime events, in the order they fire. @publicApi */
export type LifetimeEvent = 'started' | 'stopping' | 'stopped';

/** Why the application is stopping. @publicApi */
export type StopReason =
  | { readonly kind: 'application'; readonly exitCode?: number }
  | { readonly kind: 'signal'; readonly signal: NodeJS.Signals }
  | { readonly kind: 'fault'; readonly service: string; readonly error: unknown }
  | { readonly kind: 'close' };

type Listener = () => void;

/**
 * Observe the application's lifetime and stop it from anywhere (the .NET
 * `IHostApplicationLifetime`). Inject it in any provider.
 *
 * `started`, `stopping` and `stopped` each fire at most once, in that order; a listener added
 * after its event fired runs at once. Listeners run synchronously in the order they were added;
 * one that throws is logged and never breaks the host or the other listeners.
 * @publicApi
 */
@Injectable()
export class HostApplicationLifetime {
  readonly #fired = new Set<LifetimeEvent>();
  readonly #listeners = new Map<LifetimeEvent, Set<Listener>>();
  readonly #stopping = new AbortController();
  #log = new HostingLogger(false);
  #stopRequester?: (reason: StopReason) => void;
  /** A stop asked for before the host was there to take it (from a constructor). */
  #pending: StopReason | undefined;
  #requestedExitCode: number | undefined;

  /** Aborts when the application begins stopping: pass it to anything that should end then. */
  get stoppingSignal(): AbortSignal {
    return this.#stopping.signal;
  }

  /** The exit code asked for through {@link stopApplication}, if any. */
  get requestedExitCode(): number | undefined {
    return this.#requestedExitCode;
  }

  /** Whether `event` has fired. */
  hasFired(event: LifetimeEvent): boolean {
    return this.#fired.has(event);
  }

  /** Runs `listener` when all hosted services have started. Returns a function that removes it. */
  onStarted(listener: Listener): () => void {
    return this.#on('started', listener);
  }

  /** Runs `listener` when the application begins stopping. Returns a function that removes it. */
  onStopping(listener: Listener): () => void {
    return this.#on('stopping', listener);
  }

  /** Runs `listener` when every hosted service has stopped. Returns a function that removes it. */
  onStopped(listener: Listener): () => void {
    return this.#on('stopped', listener);
  }

  /**
   * Asks the application to stop gracefully, as a shutdown signal would: hosted services stop in
   * reverse under the shutdown deadline, then (when the application runs under `runHost(app)`) the
   * Nest application closes and the process exits with `exitCode` (default 0). Returns at once;
   * the first explicit `exitCode` given wins, and later calls start nothing new. Safe to call from
   * anywhere: a constructor, `onModuleInit`, a lifetime listener, a service, a controller. A
   * request made before the hosted services have started takes effect once they have.
   * @param exitCode an integer from 0 to 255
   */
  stopApplication(exitCode?: number): void {
    if (exitCode !== undefined) check('exitCode', exitCode, isExitCode, 'an integer from 0 to 255');
    this.#requestedExitCode ??= exitCode;
    const reason: StopReason = { kind: 'application', exitCode };
    if (this.#stopRequester) this.#stopRequester(reason);
    else this.#pending ??= reason;
  }

  /** Connects the lifetime to the host that owns it. @internal */
  attach(log: HostingLogger, stopRequester: (reason: StopReason) => void): void {
    this.#log = log;
    this.#stopRequester = stopRequester;
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending) stopRequester(pending);
  }

  /** Fires `event` once; later calls are no-ops. @internal */
  notify(event: LifetimeEvent): void {
    if (this.#fired.has(event)) return;
    this.#fired.add(event);
    if (event === 'stopping') this.#stopping.abort();
    for (const listener of [...(this.#listeners.get(event) ?? [])]) this.#run(event, listener);
    this.#listeners.delete(event);
  }

  #on(event: LifetimeEvent, listener: Listener): () => void {
    if (typeof listener !== 'function') throw new InvalidOptionError('listener', 'a function', listener);
    if (this.#fired.has(event)) {
      this.#run(event, listener);
      return () => undefined;
    }
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    // Wrap so that adding the same function twice registers it twice, as with CancellationToken.
    const entry = (): void => listener();
    set.add(entry);
    return () => void set.delete(entry);
  }

  #run(event: LifetimeEvent, listener: Listener): void {
    try {
      listener();
    } catch (error) {
      this.#log.listenerFailed(event, error);
    }
  }
}

function isExitCode(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 255;
}
