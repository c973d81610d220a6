import { afterEach, expect, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';

import { FakeClock } from '../../../lib/clock/fake-clock';
import { ServiceScopeFactory } from '../../../lib/scope/service-scope-factory';
import { TimedBackgroundService, TimedRun } from '../../../lib/services/timed-background-service';
import { TimedServiceOptions } from '../../../lib/services/timed-service.options';

/** What a run does; it may use the probe (its clock) to take time. */
export type Body = (run: TimedRun, probe: Probe) => void | Promise<void>;

/**
 * A timed service that records every run: when it started and ended on the clock, what it was
 * handed, and how many runs were in flight at once (the overlap check).
 */
export class Probe extends TimedBackgroundService {
  readonly runs: TimedRun[] = [];
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  active = 0;
  maxActive = 0;

  constructor(
    options: TimedServiceOptions,
    readonly clock: FakeClock,
    private readonly body: Body = () => undefined,
    scopes?: ServiceScopeFactory,
  ) {
    super(options, { clock, scopes });
  }

  protected override async doWork(run: TimedRun): Promise<void> {
    this.runs.push(run);
    this.starts.push(this.clock.now());
    this.maxActive = Math.max(this.maxActive, ++this.active);
    try {
      await this.body(run, this);
    } finally {
      this.active--;
      this.ends.push(this.clock.now());
    }
  }

  /** `missedTicks` of every run, in order. */
  get missed(): number[] {
    return this.runs.map((r) => r.missedTicks);
  }
}

/** A started probe with its clock, and a stop that checks nothing is left behind. */
export interface Harness {
  readonly clock: FakeClock;
  readonly probe: Probe;
  /** Starts the service and lets `execute` begin (the run on start, if any, begins here). */
  start(): Promise<void>;
  /** Stops the service, waits for `execute`, and checks no clock timer is left. */
  stop(): Promise<void>;
}

const open = new Set<Harness>();

/**
 * Builds a probe on a fresh FakeClock. Every harness a test started and did not stop is stopped
 * after it, with an already-aborted stop signal so a stuck run cannot hang the suite.
 */
export function harness(options: TimedServiceOptions, body?: Body): Harness {
  const clock = new FakeClock();
  const probe = new Probe(options, clock, body);
  const h: Harness = {
    clock,
    probe,
    async start() {
      open.add(h);
      probe.start(new AbortController().signal);
      await clock.runDue();
    },
    async stop() {
      open.delete(h);
      await probe.stop(new AbortController().signal);
      await expect(probe.executeTask).resolves.toBeUndefined();
      expect(clock.pendingTimers).toBe(0);
    },
  };
  return h;
}

afterEach(async () => {
  const left = [...open];
  open.clear();
  for (const h of left) await h.probe.stop(AbortSignal.abort());
});

/** One line a timed service logged through Nest's `Logger`. */
export interface LogLine {
  level: 'error' | 'warn' | 'log';
  message: string;
  stack: unknown;
  /** The context argument (the last one), which the library passes on every line. */
  context: unknown;
}

/**
 * Captures what `Logger` instances write, silencing the console; restored after each test. A
 * timed service constructed with `new` (not by Nest) logs through the host's default logger, a
 * context-free Nest `Logger` given the context `Hosting` as its last argument.
 */
export function captureLogs(): LogLine[] {
  const lines: LogLine[] = [];
  for (const level of ['error', 'warn', 'log'] as const) {
    jest.spyOn(Logger.prototype, level).mockImplementation((message: unknown, ...rest: unknown[]) => {
      lines.push({
        level,
        message: String(message),
        stack: level === 'error' ? rest[0] : undefined,
        context: rest.at(-1),
      });
    });
  }
  return lines;
}

afterEach(() => {
  jest.restoreAllMocks();
});
