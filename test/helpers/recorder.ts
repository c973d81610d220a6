import { HostedLifecycleService } from '../../lib';

type Phase = 'starting' | 'start' | 'started' | 'stopping' | 'stop' | 'stopped';
type Behavior = (signal: AbortSignal) => void | Promise<void>;

/** A shared log of `name:phase` entries, so tests can assert cross-service order. */
export class CallLog {
  readonly calls: string[] = [];
  readonly signals = new Map<string, AbortSignal>();
  of(phase: Phase): string[] {
    return this.calls.filter((c) => c.endsWith(`:${phase}`)).map((c) => c.split(':')[0]);
  }
}

/**
 * A hosted service whose every lifecycle hook records itself in `log` and then runs the behaviour
 * given for that phase (default: completes at once).
 */
export function recordingService(
  name: string,
  log: CallLog,
  behaviors: Partial<Record<Phase, Behavior>> = {},
  hooks = true,
): HostedLifecycleService {
  const make = (phase: Phase) => (signal: AbortSignal) => {
    log.calls.push(`${name}:${phase}`);
    log.signals.set(`${name}:${phase}`, signal);
    return behaviors[phase]?.(signal);
  };
  const service: HostedLifecycleService = { start: make('start'), stop: make('stop') };
  if (hooks)
    Object.assign(service, {
      starting: make('starting'),
      started: make('started'),
      stopping: make('stopping'),
      stopped: make('stopped'),
    });
  return service;
}
