import { Logger, LoggerService } from '@nestjs/common';
import { HostingLogger } from '../hosting.logger';
import { HostedService } from '../decorators/hosted-service.decorator';
import { HostedService as HostedServiceContract } from '../interfaces/hosted-service.interface';
import { ServiceScope } from '../scope/service-scope.interface';
import { ServiceScopeFactory } from '../scope/service-scope-factory';
import { settleOrAbort } from '../utils/abort';
import { TaskQueue } from './background-task-queue';
import { labelOf, QueuedItem, UnprocessedWorkItem, workOf, WorkItemContext } from './work-item';

interface Running {
  readonly item: QueuedItem;
  readonly seq: number;
  handedBack: boolean;
}

/** The longest a lane works through ready items before letting the event loop run. */
const YIELD_AFTER_MS = 5;

const NO_CONTEXT: WorkItemContext = Object.freeze({ label: '', scope: undefined });

/**
 * The hosted consumer of one {@link TaskQueue} (the .NET `QueuedHostedService`): runs items FIFO,
 * up to `concurrency` at once, each optionally in its own scope. A failing item is logged with its
 * label and never stops the loop. At stop, the queue refuses new items, then drains what is queued
 * (or, with `'abandon'`, runs none of it); whatever has not completed by the shutdown deadline is
 * handed to `onUnprocessed`, so processed + handed back = accepted.
 * @internal
 */
@HostedService()
export class QueuedHostedService implements HostedServiceContract {
  private readonly log: HostingLogger;
  readonly #items = new AbortController();
  /**
   * The item each lane runs, by lane index (`undefined`: idle). An array slot per lane rather than
   * a `Set` of items: adding and deleting an object in a Set cost more than a trivial item itself.
   */
  readonly #running: (Running | undefined)[] = [];
  #loop: Promise<void> | undefined;
  #stopPicking = false;
  #stopCalled = false;
  #seq = 0;
  /** Scopes of finished items still being disposed. */
  #disposing = 0;
  #disposed: (() => void) | undefined;

  constructor(
    readonly queue: TaskQueue,
    private readonly scopes: ServiceScopeFactory | undefined,
    logger: HostingLogger | LoggerService | false = new Logger(),
  ) {
    this.log = logger instanceof HostingLogger ? logger : new HostingLogger(logger);
  }

  start(): void {
    this.#loop ??= this.#consume();
  }

  async stop(signal: AbortSignal): Promise<void> {
    const { queue } = this;
    this.#stopCalled = true;
    queue.close();
    // Never started (nothing will ever run what was queued, e.g. at bootstrap), or 'abandon'.
    if (!this.#loop || queue.options.shutdown === 'abandon') {
      if (this.#loop) {
        this.#stopPicking = true;
        this.#items.abort(new Error(`queue "${queue.name}" is stopping with shutdown: 'abandon'`));
      }
      await this.#handBack(this.#drainQueued(), 'shutdown');
    }
    if (this.#loop && (await settleOrAbort(this.#loop, signal)) === 'aborted') {
      // The deadline: stop picking, abort what runs, and hand back everything not completed.
      this.#stopPicking = true;
      this.#items.abort(signal.reason);
      const left = this.#drainQueued();
      for (const r of this.#runningInStartOrder()) {
        r.handedBack = true;
        left.push(this.#unprocessed(r.item, r.seq, true));
      }
      await this.#handBack(left, 'shutdown');
    }
    const s = queue.stats;
    this.log.info(`Queue "${queue.name}" stopped: accepted ${s.accepted} = ${s.succeeded} succeeded + ${s.failed} failed + ${s.handedBack} handed back`);
  }

  /**
   * Called when the application has stopped. The host never stops a service it did not start, so
   * when the start failed or was cancelled before this consumer started, the items accepted
   * meanwhile would be neither run nor handed back: stop now, which hands them back. @internal
   */
  async stopIfNeverStarted(): Promise<void> {
    if (this.#loop || this.#stopCalled) return;
    await this.stop(AbortSignal.abort());
  }

  /** Hands items back to the user (`onUnprocessed`), counting them. @internal */
  async handBackDropped(item: QueuedItem): Promise<void> {
    await this.#handBack([this.#unprocessed(item, 0, false)], 'dropped');
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
      const running: Running = { item, seq: ++this.#seq, handedBack: false };
      this.#running[index] = running;
      queue.running++;
      const scope: ServiceScope | undefined = scopes?.createScope();
      const label = labelOf(item, '');
      try {
        await workOf(item)(signal, scope || label ? { label, scope } : NO_CONTEXT);
        if (!running.handedBack) queue.succeeded++;
      } catch (error) {
        if (!running.handedBack) {
          queue.failed++;
          this.log.error(`Queue "${queue.name}": work item ${label || `#${running.seq}`} failed`, error);
        }
      } finally {
        this.#running[index] = undefined;
        queue.running--;
      }
      if (scope) {
        // One at a time, the next item waits for the disposal; with concurrency, the lane moves on.
        const disposal = this.#dispose(scope, label || `#${running.seq}`);
        if (sequential) await disposal;
      }
    }
  }

  #runningInStartOrder(): Running[] {
    return this.#running.filter((r) => r !== undefined).sort((a, b) => a.seq - b.seq);
  }

  /** Disposes an item's scope (a failure is logged), counted so that the consumer's end waits for it. */
  async #dispose(scope: ServiceScope, name: string): Promise<void> {
    this.#disposing++;
    await scope.dispose().catch((error: unknown) => this.log.error(`Queue "${this.queue.name}": disposing the scope of ${name} failed`, error));
    this.#disposing--;
    const disposed = this.#disposed;
    this.#disposed = undefined;
    disposed?.();
  }

  async #handBack(items: UnprocessedWorkItem[], reason: 'shutdown' | 'dropped'): Promise<void> {
    if (items.length === 0) return;
    this.queue.handedBack += items.length;
    const { onUnprocessed } = this.queue.options;
    if (!onUnprocessed) {
      const labels = items.map((i) => i.label).join(', ');
      this.log.warn(`Queue "${this.queue.name}": ${items.length} work item(s) not run (${reason}) and no onUnprocessed callback to take them: ${labels}`);
      return;
    }
    try {
      await onUnprocessed(items, reason);
    } catch (error) {
      this.log.error(`Queue "${this.queue.name}": onUnprocessed threw for ${items.length} item(s)`, error);
    }
  }

  /** Takes every item still queued, as not started. */
  #drainQueued(): UnprocessedWorkItem[] {
    return this.queue.channel.reader.drain().map((item) => this.#unprocessed(item, 0, false));
  }

  #unprocessed(item: QueuedItem, seq: number, started: boolean): UnprocessedWorkItem {
    return { work: workOf(item), label: labelOf(item, seq ? `#${seq}` : '(unlabelled)'), started };
  }

  /** Logs `message`; with an `error` argument (even `undefined`: a rejection's reason), appends it once. */
}
