import { beforeEach, describe, expect, it } from '@jest/globals';
import { LoggerService } from '@nestjs/common';

import {
  BackgroundService,
  FakeClock,
  HostedService,
  HostedServicesModule,
  HostedServicesModuleOptions,
} from '../../lib';
import { CaptureLogger } from '../helpers/capture-logger';
import { deferred, flush } from '../helpers/deferred';
import { journal, Recorded, useApps } from './support/e2e';

@HostedService()
class Timed extends Recorded {}

@HostedService()
class Faulty extends BackgroundService {
  protected async execute(): Promise<void> {
    throw new Error('execute failed');
  }
}

/** What Nest's static Logger receives, with its context (the last string argument). */
class NestLoggerSpy implements LoggerService {
  readonly calls: Array<{ level: string; message: string; context: unknown }> = [];
  log(message: unknown, ...rest: unknown[]): void {
    this.#push('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.#push('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.#push('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.#push('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.#push('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.#push('fatal', message, rest);
  }
  fromHosting(): string[] {
    return this.calls.filter((c) => c.context === 'Hosting').map((c) => `${c.level}: ${c.message}`);
  }
  #push(level: string, message: unknown, rest: unknown[]): void {
    this.calls.push({ level, message: String(message), context: rest.at(-1) });
  }
}

describe('logging through Nest', () => {
  const apps = useApps();
  beforeEach(() => journal.reset());

  it('writes one debug line per lifecycle step, with the service name and its duration', async () => {
    const clock = new FakeClock();
    const logger = new CaptureLogger();
    const app = await apps.compile(
      { imports: [HostedServicesModule.forRoot({ logger })], providers: [Timed] },
      { clock },
    );
    const startGate = deferred();
    journal.when('Timed', 'start', () => startGate.promise);
    const init = app.init();
    await flush();
    await clock.advance(1_500);
    startGate.resolve();
    await init;

    const stopGate = deferred();
    journal.when('Timed', 'stop', () => stopGate.promise);
    const closing = apps.close(app);
    await flush();
    await clock.advance(250);
    stopGate.resolve();
    await closing;

    expect(logger.entries.filter((e) => e.message.startsWith('Timed:'))).toEqual(
      [
        'Timed: starting in 0ms',
        'Timed: start in 1.50s',
        'Timed: started in 0ms',
        'Timed: stopping in 0ms',
        'Timed: stop in 250ms',
        'Timed: stopped in 0ms',
      ].map((message) => ({ level: 'debug', message })),
    );
    expect(logger.entries).toContainEqual({ level: 'debug', message: 'Starting 1 hosted service' });
    expect(logger.entries).toContainEqual({ level: 'log', message: 'Started 1 hosted service in 1.50s' });
    expect(logger.entries).toContainEqual({
      level: 'log',
      message: 'Stopping hosted services (the application is closing)',
    });
    expect(logger.entries).toContainEqual({ level: 'log', message: 'Stopped hosted services in 250ms' });
  });

  async function runEverything(options: HostedServicesModuleOptions): Promise<NestLoggerSpy> {
    const spy = new NestLoggerSpy();
    const clock = new FakeClock();
    const app = await apps.compile(
      { imports: [HostedServicesModule.forRoot({ ...options, shutdownTimeout: 1_000 })], providers: [Timed, Faulty] },
      { clock, configure: (builder) => builder.setLogger(spy) }, // setLogger = Logger.overrideLogger(spy)
    );
    await app.init();
    await flush(); // Faulty faults: error + fatal, and the host stops
    await apps.close(app);
    return spy;
  }

  it("by default, through Nest's Logger with the context 'Hosting'", async () => {
    const spy = await runEverything({});
    const lines = spy.fromHosting();
    expect(lines).toContain('debug: Timed: start in 0ms');
    expect(lines).toContain('error: Background service Faulty failed: Error: execute failed');
    expect(lines.some((l) => l.startsWith('fatal: Background service Faulty failed'))).toBe(true);
  });

  it('logs nothing at all with logger: false (not even faults)', async () => {
    const spy = await runEverything({ logger: false });
    expect(spy.fromHosting()).toEqual([]);
    expect(spy.calls.filter((c) => /Timed|Faulty|hosted service/i.test(c.message))).toEqual([]);
    expect(journal.of('stop')).toEqual(['Timed']); // it did run
  });

  it('logs only to the given LoggerService, not to Nest’s', async () => {
    const logger = new CaptureLogger();
    const spy = await runEverything({ logger });
    expect(spy.fromHosting()).toEqual([]);
    expect(logger.messages('error')).toEqual([
      'Background service Faulty failed: Error: execute failed',
      expect.stringMatching(/^The hosted services stopped \(Faulty failed\)/),
    ]);
  });
});
