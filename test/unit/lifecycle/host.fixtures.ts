import { afterEach, expect } from '@jest/globals';
import { FakeClock } from '../../../lib/clock/fake-clock';
import { HostingLogger } from '../../../lib/hosting.logger';
import { HostedServicesModuleOptions } from '../../../lib/interfaces/hosting-options.interface';
import { HostedLifecycleService } from '../../../lib/interfaces/hosted-service.interface';
import { HostApplicationLifetime, StopReason } from '../../../lib/lifecycle/application-lifetime';
import { Host, HostedServiceEntry } from '../../../lib/lifecycle/host';
import { normalizeOptions } from '../../../lib/options/normalize-options';
import { CaptureLogger } from '../../helpers/capture-logger';
import { CallLog, recordingService } from '../../helpers/recorder';

type Phase = 'starting' | 'start' | 'started' | 'stopping' | 'stop' | 'stopped';
type Behavior = (signal: AbortSignal) => void | Promise<void>;

/** A host under test, with everything it talks to exposed for assertions. */
export interface HostHarness {
  readonly host: Host;
  readonly clock: FakeClock;
  readonly logger: CaptureLogger;
  readonly lifetime: HostApplicationLifetime;
  /** Every `requestStop` the host (or the lifetime) made, in order. */
  readonly stopRequests: StopReason[];
}

export interface HarnessOptions {
  /**
   * What a stop request does: `'record'` only records it; `'stop'` also calls `host.stop(reason)`,
   * as the Nest orchestrator does.
   * @default 'record'
   */
  readonly onStopRequest?: 'record' | 'stop';
  /** The clock, when the services need it before the host exists. @default a new FakeClock */
  readonly clock?: FakeClock;
}

const clocks: FakeClock[] = [];

// The leak check: whatever a test did, no timer of the host (startup or shutdown budget) is left.
afterEach(() => {
  const pending = clocks.splice(0).map((c) => c.pendingTimers);
  expect({ pendingTimers: pending }).toEqual({ pendingTimers: pending.map(() => 0) });
});

/**
 * Builds a {@link Host} over `services` on a {@link FakeClock}, logging into a {@link CaptureLogger}
 * and with a lifetime attached as the orchestrator attaches it. Options default to `logger: false`
 * (the host logs through the capture logger, not through the options).
 */
export function createHost(
  services: readonly HostedServiceEntry[],
  options: HostedServicesModuleOptions = {},
  harness: HarnessOptions = {},
): HostHarness {
  const clock = harness.clock ?? new FakeClock();
  if (!clocks.includes(clock)) clocks.push(clock);
  const logger = new CaptureLogger();
  const log = new HostingLogger(logger);
  const lifetime = new HostApplicationLifetime();
  const stopRequests: StopReason[] = [];
  const requestStop = (reason: StopReason): void => {
    stopRequests.push(reason);
    if (harness.onStopRequest === 'stop') void host.stop(reason).catch(() => undefined);
  };
  const host = new Host(services, normalizeOptions({ logger: false, ...options }), clock, log, lifetime, requestStop);
  lifetime.attach(log, requestStop);
  return { host, clock, logger, lifetime, stopRequests };
}

/** A hosted service that records each hook it runs into `calls` as `name:phase`. */
export function recorded(
  name: string,
  calls: CallLog,
  behaviors: Partial<Record<Phase, Behavior>> = {},
  hooks = true,
): HostedServiceEntry {
  return { name, instance: recordingService(name, calls, behaviors, hooks) };
}

/** Wraps an instance (e.g. a BackgroundService) as the host's entry. */
export function entry(name: string, instance: HostedLifecycleService): HostedServiceEntry {
  return { name, instance };
}

/** Records the lifetime events, interleaved with the services' calls, into `calls`. */
export function recordLifetime(lifetime: HostApplicationLifetime, calls: CallLog): void {
  lifetime.onStarted(() => calls.calls.push('lifetime=started'));
  lifetime.onStopping(() => calls.calls.push('lifetime=stopping'));
  lifetime.onStopped(() => calls.calls.push('lifetime=stopped'));
}

/** A promise that never settles: a hook that hangs and ignores its signal. */
export function never(): Promise<void> {
  return new Promise<void>(() => undefined);
}

/** Observes a promise's outcome without leaving an unhandled rejection behind. */
export interface Tracked<T> {
  settled: boolean;
  value?: T;
  error?: unknown;
  readonly promise: Promise<T>;
}

export function track<T>(promise: Promise<T>): Tracked<T> {
  const t: Tracked<T> = { settled: false, promise };
  promise.then(
    (value) => Object.assign(t, { settled: true, value }),
    (error: unknown) => Object.assign(t, { settled: true, error }),
  );
  return t;
}

/** `n` recorded services named `s1`..`sn`, in registration order. */
export function many(n: number, calls: CallLog, hooks = true): HostedServiceEntry[] {
  return Array.from({ length: n }, (_, i) => recorded(`s${i + 1}`, calls, {}, hooks));
}
