import { HostingLogger } from '../hosting.logger';
import { BackgroundServiceExceptionBehavior } from '../interfaces/hosting-options.interface';
import { isAbortCaused } from '../utils/abort';
import { StopReason } from './application-lifetime';
import type { HostedServiceEntry } from './host';

interface Executing {
  readonly service: HostedServiceEntry;
  readonly since: number;
}

/**
 * Watches the `executeTask` of started background services (B14, B58–B66): a rejection before the
 * service is stopped is a fault (logged, and with `'stopHost'` the application stops); a rejection
 * caused by the stop's abort is not; one that arrives during shutdown for another reason still is.
 * @internal
 */
export class ExecutionMonitor {
  #faults = 0;
  readonly #executing = new Set<Executing>();
  readonly #stopping = new WeakSet<HostedServiceEntry>();

  constructor(
    private readonly log: HostingLogger,
    private readonly behavior: BackgroundServiceExceptionBehavior,
    private readonly requestStop: (reason: StopReason) => void,
  ) {}

  /** How many background services faulted. */
  get faults(): number {
    return this.#faults;
  }

  /** Starts watching `service` if it exposes an `executeTask` (any BackgroundService does). */
  watch(service: HostedServiceEntry, now: number): void {
    const task = (service.instance as { executeTask?: unknown }).executeTask;
    if (!(task instanceof Promise)) return;
    const entry: Executing = { service, since: now };
    this.#executing.add(entry);
    (task as Promise<unknown>).then(
      () => {
        this.#executing.delete(entry);
        this.log.debug(`${service.name}: execute completed`);
      },
      (error: unknown) => {
        this.#executing.delete(entry);
        this.#rejected(service, error);
      },
    );
  }

  /** Marks that `service`'s stop has been called: from now on an abort-caused rejection is expected. */
  stopping(service: HostedServiceEntry): void {
    this.#stopping.add(service);
  }

  /** Background services whose `execute` has not finished, with how long each has run. */
  stillExecuting(now: number): Array<{ service: HostedServiceEntry; ms: number }> {
    return [...this.#executing].map((e) => ({ service: e.service, ms: now - e.since }));
  }

  #rejected(service: HostedServiceEntry, error: unknown): void {
    const signal = (service.instance as { stoppingSignal?: unknown }).stoppingSignal;
    if (this.#stopping.has(service) && signal instanceof AbortSignal && isAbortCaused(error, signal)) {
      this.log.debug(`${service.name}: execute ended on its stopping signal`);
      return;
    }
    this.#faults++;
    this.log.backgroundFaulted(service.name, error);
    if (this.behavior === 'stopHost' && !this.#stopping.has(service)) {
      this.log.stoppingHost(service.name);
      this.requestStop({ kind: 'fault', service: service.name, error });
    }
  }
}
