import { HostingLogger } from '../hosting.logger';
import { TaskQueueStats } from './background-task-queue';
import { UnprocessedReason } from './work-item';

/**
 * Every log line of one task queue, one method per event, so levels and wording are decided here.
 * Each line begins `Queue "<name>"`: the user's name for the queue, never an internal token.
 * @internal
 */
export class QueueLogger {
  constructor(
    private readonly log: HostingLogger,
    private readonly queue: string,
  ) {}

  itemFailed(item: string, error: unknown): void {
    this.log.error(`Queue "${this.queue}": work item ${item} failed`, error);
  }

  disposalFailed(item: string, error: unknown): void {
    this.log.error(`Queue "${this.queue}": disposing the scope of ${item} failed`, error);
  }

  /** Items handed back with no `onUnprocessed` to take them: the log is all that is left of them. */
  notTaken(labels: readonly string[], reason: UnprocessedReason): void {
    const list = labels.join(', ');
    this.log.warn(
      `Queue "${this.queue}": ${labels.length} work item(s) not run (${reason}) and no onUnprocessed callback to take them: ${list}`,
    );
  }

  handBackFailed(count: number, error: unknown): void {
    this.log.error(`Queue "${this.queue}": onUnprocessed threw for ${count} item(s)`, error);
  }

  /** The report of a stop: where every accepted item went. */
  stopped(stats: TaskQueueStats): void {
    this.log.info(`Queue "${this.queue}" stopped: ${balance(stats)}`);
  }

  /**
   * The one line of a forced exit, written before anything is awaited: if the process ends before
   * `onUnprocessed` is done (or there is none), it still names every item that did not complete.
   */
  forcedExit(
    signal: NodeJS.Signals,
    items: readonly string[],
    stats: TaskQueueStats,
    hasCallback: boolean,
    underWay: number,
  ): void {
    const taken = hasCallback ? "handed to onUnprocessed ('forced')" : 'and no onUnprocessed callback to take them';
    const what =
      items.length > 0
        ? `${items.length} work item(s) not completed ${taken}: ${items.join(', ')}`
        : 'no work item left to hand back';
    const waiting = underWay > 0 ? `; waiting for ${underWay} earlier hand-back(s) still under way` : '';
    this.log.errorLine(`Queue "${this.queue}": forced exit by ${signal}: ${what}; ${balance(stats)}${waiting}`);
  }
}

/** `accepted 10 = 6 succeeded + 1 failed + 3 handed back`, and `(2 forced)` after a forced exit. */
function balance(s: TaskQueueStats): string {
  const forced = s.forced > 0 ? ` (${s.forced} forced)` : '';
  return `accepted ${s.accepted} = ${s.succeeded} succeeded + ${s.failed} failed + ${s.handedBack} handed back${forced}`;
}
