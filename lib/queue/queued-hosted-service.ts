import { Logger, LoggerService } from '@nestjs/common';
import { HostedService } from '../decorators/hosted-service.decorator';
import { HOSTED_SERVICE_NAME } from '../hosting.constants';
import { HostingLogger } from '../hosting.logger';
import { HostedService as HostedServiceContract } from '../interfaces/hosted-service.interface';
import { ForcedExitHooks } from '../process/forced-exit';
import { ServiceScope } from '../scope/service-scope.interface';
import { ServiceScopeFactory } from '../scope/service-scope-factory';
import { isAbortCaused, settleOrAbort } from '../utils/abort';
import { TaskQueue } from './background-task-queue';
import { HandBack } from './hand-back';
import { OutstandingItems, RunningItem } from './outstanding-items';
import { queueServiceName } from './queue-tokens';
import { QueueLogger } from './queue.logger';
import { labelOf, QueuedItem, workOf, WorkItemContext } from './work-item';

/** The longest a lane works through ready items before letting the event loop run. */
const YIELD_AFTER_MS = 5;

const NO_CONTEXT: WorkItemContext = Object.freeze({ label: '', scope: undefined });

/**
 * The hosted consumer of one {@link TaskQueue} (the .NET `QueuedHostedService`): runs items FIFO,
 * up to `concurrency` at once, each optionally in its own scope. A failing item is logged with its
 * label and never stops the loop. At stop, the queue refuses new items, then drains what is queued
 * (or, with `'abandon'`, runs none of it and tells the running items to give up); whatever has not
 * completed by the shutdown deadline, or on a forced exit, is handed to `onUnprocessed`, so
 * processed + handed back = accepted, each item counted once.
 * @internal
 */
@HostedService()
export class QueuedHostedService implements HostedServiceContract {
  /** The host names hosted services by provider token; this one's token is internal. */
  readonly [HOSTED_SERVICE_NAME]: string;
  private readonly log: QueueLogger;
  readonly #handBack: HandBack;
  readonly #outstanding: OutstandingItems;
  readonly #items = new AbortController();
  #loop: Promise<void> | undefined;
  #stopPicking = false;
  #stopCalled = false;
  #disposing = 0; // scopes of finished items still being disposed
  #disposed: (() => void) | undefined;
  #leaveForcedExit: (() => void) | undefined;

  constructor(
    readonly queue: TaskQueue,
    private readonly scopes: ServiceScopeFactory | undefined,
    logger: HostingLogger | LoggerService | false = new Logger(),
  ) {
    this[HOSTED_SERVICE_NAME] = queueServiceName(queue.name);
    this.log = new QueueLogger(logger instanceof HostingLogger ? logger : new HostingLogger(logger), queue.name);
    this.#handBack = new HandBack(queue, this.log);
    this.#outstanding = new OutstandingItems(queue);
  }

  /** Takes part in forced exits until this consumer has fully stopped. @internal */
  joinForcedExit(hooks: ForcedExitHooks): void {
    this.#leaveForcedExit ??= hooks.register((signal, deadline) => this.handBackOnForcedExit(signal, deadline));
  }

  start(): void {
    this.#loop ??= this.#consume();
  }

  async stop(signal: AbortSignal): Promise<void> {
    const { queue } = this;
    this.#stopCalled = true;
    queue.close();
    if (!this.#loop) {
      // Never started: nothing will ever run what was queued (e.g. enqueued at bootstrap).
      void this.#handBack.give(this.#outstanding.takeQueued(), 'shutdown');
    } else if (queue.options.shutdown === 'abandon') {
      // Run nothing more; what runs is told to give up, and goes back if it does (see #failed).
      this.#halt(new Error(`queue "${queue.name}" is stopping with shutdown: 'abandon'`));
      void this.#handBack.give(this.#outstanding.takeQueued(), 'shutdown');
    }
    if (this.#loop && (await settleOrAbort(this.#loop, signal)) === 'aborted') {
      // The deadline: stop picking, abort what runs, and hand back everything not completed.
      this.#halt(signal.reason);
      void this.#handBack.give(this.#outstanding.takeAll(), 'shutdown');
    }
    // The items are the user's once the stop resolves: wait for every hand-back (drops included).
    await this.#handBack.settled();
    this.#leaveForcedExit?.();
    this.log.stopped(queue.stats);
  }

  /**
   * Called when the application has stopped. The host never stops a service it did not start: if
   * this one never started, stop now, or what it accepted would be neither run nor handed back. @internal
   */
  async stopIfNeverStarted(): Promise<void> {
    if (this.#loop || this.#stopCalled) return;
    await this.stop(AbortSignal.abort());
  }

  /** Hands back an item a drop full mode evicted. Never rejects. @internal */
  handBackDropped(item: QueuedItem): Promise<void> {
    return this.#handBack.give([this.#outstanding.evicted(item)], 'dropped');
  }

  /**
   * A forced exit: every item not completed (queued, or running) goes to `onUnprocessed` as
   * `'forced'`, named first in one error line (the process may end before the callback is done).
   * Waits for it, and for earlier hand-backs under way, until `deadline` aborts. @internal
   */
  async handBackOnForcedExit(signal: NodeJS.Signals, deadline: AbortSignal): Promise<void> {
    this.queue.close();
    this.#halt(new Error(`the exit was forced by a second ${signal}`));
    const items = this.#outstanding.takeAll();
    this.#handBack.count(items, 'forced');
    const names = items.map((i) => (i.started ? `${i.label} (started)` : i.label));
    const hasCallback = this.queue.options.onUnprocessed !== undefined;
    this.log.forcedExit(signal, names, this.queue.stats, hasCallback, this.#handBack.underWay);
    void this.#handBack.deliver(items, 'forced');
    await settleOrAbort(this.#handBack.settled(), deadline);
  }

  /** Runs `concurrency` lanes; each takes the next item as soon as it is free, so items start FIFO. */
  async #consume(): Promise<void> {
    const lanes: Promise<void>[] = [];
    for (let i = 0; i < this.queue.options.concurrency; i++) lanes.push(this.#lane(i));
    await Promise.all(lanes);
    // Also wait for the scopes still being disposed (with concurrency > 1 no lane awaits them), so
    // that the stop does not complete, and Nest tear down, under a disposal still under way.
    while (this.#disposing > 0) await new Promise<void>((resolve) => (this.#disposed = resolve));
  }

  /**
   * One consumer loop. It runs each item inline and awaits nothing but the item itself: one
   * microtask hop per item, where an async helper per item and a wait for a free slot added two.
   */
  async #lane(index: number): Promise<void> {
    const { queue } = this;
    const reader = queue.channel.reader;
    const signal = this.#items.signal;
    const sequential = queue.options.concurrency === 1;
    const scopes = queue.options.scopePerItem ? this.scopes : undefined;
    let picked = 0;
    let lastYield = performance.now();
    for (;;) {
      if (this.#stopPicking) return;
      // Items that settle without I/O or a timer never hand the event loop back: timers, I/O and
      // signal handlers (SIGTERM!) would wait for the whole flood. Every 64 items, check the time;
      // after 5 ms of uninterrupted work, yield one event-loop turn.
      if ((++picked & 63) === 0 && performance.now() - lastYield >= YIELD_AFTER_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
      const item = reader.tryRead();
      if (item === undefined) {
        if (!(await reader.waitToRead(signal).catch(() => false))) return;
        continue;
      }
      const running = this.#outstanding.begin(index, item);
      const scope: ServiceScope | undefined = scopes?.createScope();
      const label = labelOf(item, '');
      try {
        await workOf(item)(signal, scope || label ? { label, scope } : NO_CONTEXT);
        if (!running.handedBack) queue.succeeded++;
      } catch (error) {
        if (!running.handedBack) this.#failed(running, label, error, signal);
      } finally {
        this.#outstanding.end(index, running);
      }
      if (scope) {
        // One at a time, the next item waits for the disposal; with concurrency, the lane moves on.
        const disposal = this.#dispose(scope, label || `#${running.seq}`);
        if (sequential) await disposal;
      }
    }
  }

  #failed(running: RunningItem, label: string, error: unknown, signal: AbortSignal): void {
    if (isAbortCaused(error, signal)) {
      // It gave up because the queue told it to ('abandon'): not completed, so it goes back.
      void this.#handBack.give(this.#outstanding.takeRunning(running), 'shutdown');
      return;
    }
    this.queue.failed++;
    this.log.itemFailed(label || `#${running.seq}`, error);
  }

  /** Stops the lanes picking, and tells the running items to give up. */
  #halt(reason: unknown): void {
    this.#stopPicking = true;
    this.#items.abort(reason);
  }

  /** Disposes an item's scope (a failure is logged), counted so that the consumer's end waits for it. */
  async #dispose(scope: ServiceScope, name: string): Promise<void> {
    this.#disposing++;
    await scope.dispose().catch((error: unknown) => this.log.disposalFailed(name, error));
    this.#disposing--;
    const disposed = this.#disposed;
    this.#disposed = undefined;
    disposed?.();
  }
}
