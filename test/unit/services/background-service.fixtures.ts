import { BackgroundService } from '../../../lib/services/background-service';

type Body = (stoppingSignal: AbortSignal) => Promise<void>;

/** A BackgroundService whose `execute` runs `body`, recording each call and the signal it got. */
export class TestBackgroundService extends BackgroundService {
  readonly executeSignals: AbortSignal[] = [];

  constructor(private readonly body: Body) {
    super();
  }

  /** How many times `execute` was invoked. */
  get executeCalls(): number {
    return this.executeSignals.length;
  }

  protected override execute(stoppingSignal: AbortSignal): Promise<void> {
    this.executeSignals.push(stoppingSignal);
    return this.body(stoppingSignal);
  }
}

/** Rejects with the signal's reason once it aborts (at once if it already has): a cooperative loop. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise<void>((_, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    else signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

/** A worker whose `execute` rejects when `failure` does (after its first await), unless stopped first. */
export function failingWorker(failure: Promise<void>): TestBackgroundService {
  return new TestBackgroundService(async (signal) => {
    await Promise.race([failure, untilAborted(signal)]);
  });
}
