import { HostedService } from '../interfaces/hosted-service.interface';
import { settleOrAbort } from '../utils/abort';

/**
 * Base class for a long-running hosted service: implement {@link BackgroundService.execute}, a
 * loop that runs until `stoppingSignal` aborts. The .NET `BackgroundService`, with .NET 10/11
 * semantics:
 * - `start` runs no user code: `execute` begins on a later event-loop turn, so even a synchronous
 *   prefix cannot delay the other services' start (Node is single-threaded, so CPU-heavy work
 *   still blocks the event loop whenever it runs);
 * - after a start whose signal was not aborted, `execute` runs exactly once, even if `stop` comes
 *   first (it then sees an aborted `stoppingSignal`);
 * - `stop` aborts `stoppingSignal` and waits for `execute` to finish or for the stop signal
 *   (the shutdown deadline), whichever is first; it never rethrows `execute`'s error (the host
 *   reports it); stop without start does nothing.
 * @publicApi
 * @example
 * @HostedService()
 * class Worker extends BackgroundService {
 *   constructor(private readonly clock: Clock) { super(); }
 *   protected async execute(stopping: AbortSignal) {
 *     while (!stopping.aborted) { doWork(); await this.clock.delay(1000, stopping).catch(() => {}); }
 *   }
 * }
 */
export abstract class BackgroundService implements HostedService {
  #controller: AbortController | undefined;
  #executeTask: Promise<void> | undefined;
  #unlinkStart: (() => void) | undefined;

  /** The running `execute` promise: undefined before `start`. The host watches it for faults. */
  get executeTask(): Promise<void> | undefined {
    return this.#executeTask;
  }

  /** The signal `execute` receives: undefined before `start`. */
  get stoppingSignal(): AbortSignal | undefined {
    return this.#controller?.signal;
  }

  /**
   * The service's work: runs once, from start until it returns or `stoppingSignal` aborts.
   * Rejecting before shutdown is a fault (see `backgroundServiceExceptionBehavior`); rejecting
   * because `stoppingSignal` aborted, during shutdown, is not.
   *
   * `stoppingSignal` may already be aborted when `execute` begins (a stop that came before its
   * first turn): check `stoppingSignal.aborted` before waiting on its 'abort' event, which would
   * never fire then. APIs that take the signal (`clock.delay`, `fetch`) handle it already.
   */
  protected abstract execute(stoppingSignal: AbortSignal): Promise<void>;

  /** Schedules `execute` and returns at once. */
  start(signal: AbortSignal): void {
    if (this.#controller) return; // started already: the host calls start once; be idempotent
    const controller = (this.#controller = new AbortController());
    if (signal.aborted) {
      // Startup was already cancelled: execute never runs (B52, the .NET 11 fix).
      controller.abort(signal.reason);
      this.#executeTask = Promise.reject(signal.reason as Error);
      this.#executeTask.catch(() => undefined); // observed by the host; never an unhandled rejection
      return;
    }
    // Until stop, a cancelled startup also cancels execute (B30, B55).
    const onStartAbort = (): void => controller.abort(signal.reason);
    signal.addEventListener('abort', onStartAbort, { once: true });
    this.#unlinkStart = () => signal.removeEventListener('abort', onStartAbort);
    this.#executeTask = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
      this.execute(controller.signal),
    );
    this.#executeTask.catch(() => undefined); // observed by the host; never an unhandled rejection
  }

  /** Aborts `stoppingSignal`, then waits for `execute` or for `signal`, whichever comes first. */
  async stop(signal: AbortSignal): Promise<void> {
    const task = this.#executeTask;
    if (!task || !this.#controller) return;
    this.#unlinkStart?.();
    this.#unlinkStart = undefined;
    this.#controller.abort();
    await settleOrAbort(task, signal);
  }
}
