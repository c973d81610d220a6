import { formatMs } from '../hosting.logger';
import type { HostedServiceEntry } from './host';

/** A lifecycle hook of a hosted service. @internal */
export type Phase = 'starting' | 'start' | 'started' | 'stopping' | 'stop' | 'stopped';

/** One hook call still running (a service can have several: a hung `stop`, then its `stopped`). */
interface Call {
  readonly service: HostedServiceEntry;
  readonly phase: Phase;
  readonly since: number;
}

/** A line of the abandonment report. @internal */
export interface Abandoned {
  readonly name: string;
  readonly what: string;
  readonly ms: number;
}

/**
 * The hook calls the host is waiting on, and the ones that gave up at the deadline: what the
 * startup-timeout message and the abandonment report name.
 * @internal
 */
export class HookCalls {
  readonly #running = new Set<Call>();
  readonly #gaveUp: Abandoned[] = [];

  /** Records a call that starts now; the returned function marks it finished. */
  begin(service: HostedServiceEntry, phase: Phase, since: number): () => void {
    const call: Call = { service, phase, since };
    this.#running.add(call);
    return () => void this.#running.delete(call);
  }

  /** A stop hook that rejected because the deadline aborted its signal: abandoned, not failed. */
  gaveUp(service: HostedServiceEntry, phase: Phase, ms: number): void {
    this.#gaveUp.push({ name: service.name, what: `${phase} gave up at the deadline`, ms });
  }

  /** `Name (phase, 12ms)` for every call still running. */
  describeRunning(now: number): string[] {
    return [...this.#running].map((c) => `${c.service.name} (${c.phase}, ${formatMs(now - c.since)})`);
  }

  /**
   * Everything abandoned so far: calls that gave up, calls still running, and executing background
   * services with no call running (`execute` outlived its `stop`). Gave-up entries are reported once.
   */
  abandoned(now: number, executing: ReadonlyArray<{ service: HostedServiceEntry; ms: number }>): Abandoned[] {
    const running = [...this.#running];
    const entries: Abandoned[] = [
      ...this.#gaveUp.splice(0),
      ...running.map((c) => ({ name: c.service.name, what: c.phase, ms: now - c.since })),
    ];
    for (const e of executing)
      if (!running.some((c) => c.service === e.service))
        entries.push({ name: e.service.name, what: 'execute', ms: e.ms });
    return entries;
  }
}
