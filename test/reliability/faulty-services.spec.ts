import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';

import {
  BackgroundService,
  BackgroundTaskQueue,
  BackgroundTaskQueueModule,
  Clock,
  FakeClock,
  HostApplicationLifetime,
  HostedLifecycleService,
  HostedService,
  HostedServicesModule,
  HostStartTimeoutError,
  isHostingError,
  UnprocessedWorkItem,
} from '../../lib';
import { CaptureLogger } from '../helpers/capture-logger';
import { closeAfterFailedInit, drive, exitCodeOf, flush, processListeners } from './support/harness';

// The fault-injection matrix: one faulty hosted service between two healthy ones, a fault in each
// lifecycle phase (and in a BackgroundService's execute), of each kind, with sequential and
// concurrent phases. For every cell the host must end on time, stop exactly the services that
// started (in reverse), name the culprit, and compute the exit code of the README's table.
// Everything runs on a FakeClock, so deadlines are exact and nothing sleeps.

const SHUTDOWN_MS = 1_000;
const STARTUP_MS = 2_000;
/** A service that "ignores its abort signal" finishes this long after it was asked to stop. */
const IGNORED_MS = 60_000;
const REQUESTED_EXIT = 3;

type Phase = 'starting' | 'start' | 'started' | 'stopping' | 'stop' | 'stopped' | 'execute';
type Kind =
  | 'throws'
  | 'rejects'
  | 'throwsNonError'
  | 'rejectsUndefined'
  | 'neverSettles'
  | 'ignoresAbort'
  | 'stopApplication'
  | 'enqueues';
type Mode = 'sequential' | 'concurrent';

const START_PHASES = ['starting', 'start', 'started'] as const;
const STOP_PHASES = ['stopping', 'stop', 'stopped'] as const;
const FAILING: readonly Kind[] = ['throws', 'rejects', 'throwsNonError', 'rejectsUndefined'];
const HANGING: readonly Kind[] = ['neverSettles', 'ignoresAbort'];

const KIND_LABEL: Record<Kind, string> = {
  throws: 'throws an Error synchronously',
  rejects: 'rejects asynchronously',
  throwsNonError: 'throws a non-Error value (a string)',
  rejectsUndefined: 'rejects with undefined',
  neverSettles: 'never settles',
  ignoresAbort: 'ignores its abort signal (finishes 60 s later)',
  stopApplication: `calls stopApplication(${REQUESTED_EXIT})`,
  enqueues: 'enqueues work (while stopping, when it stops)',
};

// ── the state one test shares with its services ────────────────────────────────────────────────

let plan: { phase: Phase; kind: Kind } = { phase: 'start', kind: 'throws' };
/** `Service:phase`, in call order. */
const calls: string[] = [];
/** The value the faulty service threw, to check that it propagates as the very same value. */
let thrown: { value: unknown } | undefined;
/** Outcome of each enqueue the faulty service made: `accepted`, or the error. */
const enqueues: Array<{ id: string; accepted: boolean; error?: unknown }> = [];
const processed: string[] = [];
const handedBack: string[] = [];

function inject(
  phase: Phase,
  deps: { lifetime: HostApplicationLifetime; queue: BackgroundTaskQueue; clock: Clock },
): void | Promise<void> {
  if (plan.phase !== phase) return undefined;
  const error = new Error(`Faulty failed in ${phase}`);
  switch (plan.kind) {
    case 'throws':
      thrown = { value: error };
      throw error;
    case 'rejects':
      thrown = { value: error };
      return Promise.resolve().then(() => {
        throw error;
      });
    case 'throwsNonError': {
      const value = `a plain string thrown by ${phase}`;
      thrown = { value };
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- the fault under test
      throw value;
    }
    case 'rejectsUndefined': {
      const nothing: unknown = undefined;
      thrown = { value: nothing };
      return Promise.reject(nothing);
    }
    case 'neverSettles':
      return new Promise<void>(() => undefined);
    case 'ignoresAbort':
      return deps.clock.delay(IGNORED_MS); // no signal passed: it cannot be told to stop
    case 'stopApplication':
      deps.lifetime.stopApplication(REQUESTED_EXIT);
      return undefined;
    case 'enqueues':
      return enqueueOne(deps.queue, `from-${phase}`);
  }
}

async function enqueueOne(queue: BackgroundTaskQueue, id: string): Promise<void> {
  try {
    await queue.enqueue(async () => void processed.push(id), { label: id });
    enqueues.push({ id, accepted: true });
  } catch (error) {
    enqueues.push({ id, accepted: false, error });
  }
}

abstract class Recorded implements HostedLifecycleService {
  starting(signal: AbortSignal): void | Promise<void> {
    return this.hook('starting', signal);
  }
  start(signal: AbortSignal): void | Promise<void> {
    return this.hook('start', signal);
  }
  started(signal: AbortSignal): void | Promise<void> {
    return this.hook('started', signal);
  }
  stopping(signal: AbortSignal): void | Promise<void> {
    return this.hook('stopping', signal);
  }
  stop(signal: AbortSignal): void | Promise<void> {
    return this.hook('stop', signal);
  }
  stopped(signal: AbortSignal): void | Promise<void> {
    return this.hook('stopped', signal);
  }
  protected hook(phase: Phase, _signal: AbortSignal): void | Promise<void> {
    this.record(phase);
  }
  protected record(phase: Phase): void {
    calls.push(`${this.constructor.name}:${phase}`);
  }
}

@HostedService()
class Alpha extends Recorded {}

@HostedService()
class Faulty extends Recorded {
  constructor(
    readonly lifetime: HostApplicationLifetime,
    readonly queue: BackgroundTaskQueue,
    readonly clock: Clock,
  ) {
    super();
  }
  protected override hook(phase: Phase, _signal: AbortSignal): void | Promise<void> {
    this.record(phase);
    return inject(phase, this);
  }
}

@HostedService()
class Charlie extends Recorded {}

/** The faulty service as a BackgroundService: the fault is in `execute`. */
@HostedService()
class FaultyWorker extends BackgroundService implements HostedLifecycleService {
  constructor(
    readonly lifetime: HostApplicationLifetime,
    readonly queue: BackgroundTaskQueue,
    readonly clock: Clock,
  ) {
    super();
  }
  starting(): void {
    calls.push('FaultyWorker:starting');
  }
  override start(signal: AbortSignal): void {
    calls.push('FaultyWorker:start');
    super.start(signal);
  }
  started(): void {
    calls.push('FaultyWorker:started');
  }
  stopping(): void {
    calls.push('FaultyWorker:stopping');
  }
  override stop(signal: AbortSignal): Promise<void> {
    calls.push('FaultyWorker:stop');
    return super.stop(signal);
  }
  stopped(): void {
    calls.push('FaultyWorker:stopped');
  }
  // Not `async`: a synchronous throw must really be synchronous.
  protected execute(stopping: AbortSignal): Promise<void> {
    switch (plan.kind) {
      case 'rejects':
        return this.clock.delay(100).then(() => {
          const error = new Error('FaultyWorker failed 100 ms into execute');
          thrown = { value: error };
          throw error;
        });
      case 'stopApplication':
        this.lifetime.stopApplication(REQUESTED_EXIT);
        return untilAborted(stopping);
      case 'enqueues':
        return this.produceUntilRefused();
      default:
        return inject('execute', this) ?? Promise.resolve();
    }
  }
  /** Keeps enqueueing, deaf to its stopping signal, until the queue refuses (the app is stopping). */
  private async produceUntilRefused(): Promise<void> {
    for (let i = 0; ; i++) {
      const before = enqueues.length;
      await enqueueOne(this.queue, `execute-${i}`);
      if (!enqueues[before].accepted) return;
      await this.clock.delay(100);
    }
  }
}

function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

// ── what each cell must produce ────────────────────────────────────────────────────────────────

interface Expected {
  /** init() resolves, rejects with the thrown value itself, or rejects with HostStartTimeoutError. */
  init: 'resolves' | 'rejectsWithThrown' | 'timesOut';
  /** Exact sequence of calls in the start phases. */
  startCalls: string[];
  /** Services whose start completed: the stop phases call exactly these, in reverse. */
  started: string[];
  /** The host stops by itself (a fault with 'stopHost', or stopApplication), without close(). */
  selfStop: boolean;
  /** The shutdown deadline had to cut the stop short. */
  abandoned: boolean;
  exitCode: number;
  /** An error-level line that names the culprit (undefined: no error line at all). */
  culprit: RegExp | undefined;
}

function expected(phase: Phase, kind: Kind, mode: Mode): Expected {
  const culpritName = phase === 'execute' ? 'FaultyWorker' : 'Faulty';
  const services = ['Alpha', culpritName, 'Charlie'];
  const failing = FAILING.includes(kind);
  const hanging = HANGING.includes(kind);
  const startFault = (START_PHASES as readonly Phase[]).includes(phase) && (failing || hanging);

  // Services whose start completed, in completion order: later phases, and the stop in reverse,
  // follow it. A concurrent start completes the culprit's asynchronous start last.
  let started = services;
  if (startFault && phase === 'starting') started = [];
  if (startFault && phase === 'start') started = mode === 'sequential' ? ['Alpha'] : ['Alpha', 'Charlie'];
  if (mode === 'concurrent' && phase === 'start' && kind === 'enqueues') started = ['Alpha', 'Charlie', culpritName];

  const startCalls: string[] = [];
  for (const p of START_PHASES) {
    let called = p === 'started' ? started : services;
    if (startFault && p === phase) called = mode === 'sequential' ? services.slice(0, 2) : services; // sequential stops at the culprit
    startCalls.push(...called.map((s) => `${s}:${p}`));
    if (startFault && p === phase) break;
  }

  const stopFault = (STOP_PHASES as readonly Phase[]).includes(phase) || phase === 'execute';
  const abandoned = stopFault && hanging;
  let culprit: RegExp | undefined;
  if (startFault && hanging) culprit = new RegExp(`still starting: ${culpritName} \\(${phase}, 2\\.00s\\)`);
  else if (abandoned)
    culprit = new RegExp(
      `Shutdown deadline of 1\\.00s exceeded; abandoned 1 hosted service: ${culpritName} \\(${phase === 'execute' ? 'execute' : phase}, running for 1\\.00s\\)`,
    );
  else if (failing)
    culprit =
      phase === 'execute'
        ? /^Background service FaultyWorker failed: /
        : new RegExp(`^${culpritName}: ${phase} failed: `);

  let exitCode = 0;
  if (failing || (startFault && hanging)) exitCode = 1;
  else if (abandoned) exitCode = 124;
  else if (kind === 'stopApplication') exitCode = REQUESTED_EXIT;

  return {
    init: startFault ? (hanging ? 'timesOut' : 'rejectsWithThrown') : 'resolves',
    startCalls,
    started,
    selfStop:
      (phase === 'execute' && failing) ||
      (kind === 'stopApplication' && !(STOP_PHASES as readonly Phase[]).includes(phase)),
    abandoned,
    exitCode,
    culprit,
  };
}

const PHASES: readonly Phase[] = [...START_PHASES, ...STOP_PHASES, 'execute'];
const KINDS: readonly Kind[] = [...FAILING, ...HANGING, 'stopApplication', 'enqueues'];
const MODES: readonly Mode[] = ['sequential', 'concurrent'];
const CELLS = PHASES.flatMap((phase) =>
  KINDS.flatMap((kind) => MODES.map((mode) => ({ phase, kind, mode, label: KIND_LABEL[kind] }))),
);

describe('a faulty hosted service never hangs the host, and never takes the others down with it', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  beforeAll(() => {
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
  });
  let exitCodeBefore: typeof process.exitCode;
  beforeEach(() => {
    exitCodeBefore = process.exitCode;
    process.exitCode = undefined;
    calls.length = 0;
    enqueues.length = 0;
    processed.length = 0;
    handedBack.length = 0;
    thrown = undefined;
    unhandled.length = 0;
  });
  afterEach(() => {
    process.exitCode = exitCodeBefore;
  });

  it.each(CELLS)('$phase: $label ($mode)', async ({ phase, kind, mode }) => {
    plan = { phase, kind };
    const want = expected(phase, kind, mode);
    const concurrent = mode === 'concurrent';
    const clock = new FakeClock();
    const logger = new CaptureLogger();
    const baseline = processListeners();
    const realStart = performance.now();
    const app = await Test.createTestingModule({
      imports: [
        HostedServicesModule.forRoot({
          logger,
          shutdownTimeout: SHUTDOWN_MS,
          startupTimeout: STARTUP_MS,
          servicesStartConcurrently: concurrent,
          servicesStopConcurrently: concurrent,
        }),
        BackgroundTaskQueueModule.register({
          capacity: 10,
          onUnprocessed: (items: UnprocessedWorkItem[]) => void handedBack.push(...items.map((i) => i.label)),
        }),
      ],
      providers: [Alpha, phase === 'execute' ? FaultyWorker : Faulty, Charlie],
    })
      .overrideProvider(Clock)
      .useValue(clock)
      .compile();
    const lifetime = app.get(HostApplicationLifetime);
    const queue = app.get(BackgroundTaskQueue);
    const at: { stopping?: number; stopped?: number } = {};
    const stopped = new Promise<void>((resolve) => {
      lifetime.onStopping(() => (at.stopping = clock.now()));
      lifetime.onStopped(() => {
        at.stopped = clock.now();
        resolve();
      });
    });

    // Start.
    const init = await drive(clock, app.init());
    if (want.init === 'resolves') {
      expect(init).toMatchObject({ ok: true });
      if (kind === 'enqueues' && phase === 'execute') await clock.advance(450); // let it produce a few items
      if (want.selfStop) await drive(clock, stopped);
      else expect(lifetime.hasFired('stopping')).toBe(false);
      const closed = await drive(clock, app.close());
      expect(closed).toMatchObject({ ok: true });
    } else {
      expect(init.ok).toBe(false);
      const error = !init.ok ? init.error : undefined;
      if (want.init === 'rejectsWithThrown')
        expect(error).toBe(thrown!.value); // the very same value, never wrapped
      else expect(error).toBeInstanceOf(HostStartTimeoutError);
      expect(init.at).toBeLessThanOrEqual(STARTUP_MS + SHUTDOWN_MS);
      await drive(clock, closeAfterFailedInit(app, error));
    }
    if (kind === 'ignoresAbort') await clock.advance(IGNORED_MS + 1_000); // its late end must change nothing
    await flush();

    // Exactly the services that started were stopped, in reverse, each phase a barrier.
    const stopCalls = calls.filter((c) => STOP_PHASES.some((p) => c.endsWith(`:${p}`)));
    const reverse = [...want.started].reverse();
    expect(calls.filter((c) => START_PHASES.some((p) => c.endsWith(`:${p}`)))).toEqual(want.startCalls);
    expect(stopCalls).toEqual(STOP_PHASES.flatMap((p) => reverse.map((s) => `${s}:${p}`)));

    // On time: the stop took at most shutdownTimeout (exactly that when the deadline was needed).
    expect(at.stopping).toBeDefined();
    expect(at.stopped! - at.stopping!).toBeLessThanOrEqual(SHUTDOWN_MS);
    if (want.abandoned) expect(at.stopped! - at.stopping!).toBe(SHUTDOWN_MS);
    expect(performance.now() - realStart).toBeLessThan(5_000); // and no real waiting either

    // The log names the culprit, once; healthy cells log no error at all.
    // Without runHost (a testing module), a stop asked for from inside cannot close the app, and
    // says so once: that line is the refusal, not a culprit.
    const refusal = /nothing can close the Nest application/;
    expect(logger.messages('error').filter((m) => refusal.test(m)).length).toBeLessThanOrEqual(1);
    const errors = [...logger.messages('error'), ...logger.messages('fatal')].filter((m) => !refusal.test(m));
    if (want.culprit) expect(errors.filter((m) => want.culprit!.test(m))).toHaveLength(1);
    else expect(errors).toEqual([]);
    if (phase === 'execute' && FAILING.includes(kind))
      expect(logger.messages('fatal')).toEqual([
        expect.stringContaining("FaultyWorker failed and backgroundServiceExceptionBehavior is 'stopHost'"),
      ]);

    // The exit code the README's table gives for this outcome.
    expect(exitCodeOf(app)).toBe(want.exitCode);

    // Nothing lost: work enqueued by the faulty service was processed, or refused with a typed error.
    if (kind === 'enqueues') {
      expect(enqueues.length).toBeGreaterThan(0);
      for (const e of enqueues) {
        if (e.accepted) expect(processed.includes(e.id) !== handedBack.includes(e.id)).toBe(true);
        else expect(isHostingError(e.error, 'HOSTING_QUEUE_CLOSED')).toBe(true);
      }
      const stopWork = (STOP_PHASES as readonly Phase[]).includes(phase);
      expect(enqueues.filter((e) => e.accepted).length).toBe(
        stopWork ? 0 : phase === 'execute' ? enqueues.length - 1 : 1,
      );
    }
    const stats = queue.stats;
    expect(queue.closed).toBe(true);
    expect(stats).toMatchObject({ pending: 0, running: 0 });
    expect(stats.accepted).toBe(stats.succeeded + stats.failed + stats.handedBack);
    expect(stats.accepted).toBe(enqueues.filter((e) => e.accepted).length);

    // Nothing left behind.
    expect(clock.pendingTimers).toBe(0);
    expect(processListeners()).toEqual(baseline);
    // Without runHost, a stop asked for from inside (a crashed worker, stopApplication() outside a
    // stop) cannot close the app: the run's code is set, so a process that ends by itself ends with
    // it (a crashed worker never exits 0). Nothing else touches the exit code.
    expect(process.exitCode).toBe(want.selfStop ? want.exitCode : undefined);
    expect(unhandled).toEqual([]);
  });
});
