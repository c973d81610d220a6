import { beforeEach, describe, expect, it } from '@jest/globals';
import { Inject, Injectable, LoggerService } from '@nestjs/common';

import { Clock, FakeClock, HostedService, HostedServicesModule } from '../../../lib';
import { TimedBackgroundService, TimedRun } from '../../../lib/services/timed-background-service';
import { CaptureLogger } from '../../helpers/capture-logger';
import { flush } from '../../helpers/deferred';
import { useApps } from '../support/e2e';
import { aborted, Heartbeat, HEARTBEAT_OPTIONS, NestLogSpy, script } from './timed.e2e-fixtures';

@Injectable()
class Greeting {
  readonly text = 'hello';
}

/** A subclass with property injection of its own, which must not lose the inherited one. */
@HostedService()
class WithOwnProperty extends TimedBackgroundService {
  @Inject(Greeting) readonly greeting!: Greeting;

  constructor(clock: Clock) {
    super({ period: 1_000, runOnStart: false }, { clock });
  }

  protected async doWork(run: TimedRun): Promise<void> {
    throw new Error(`${this.greeting.text} from run ${run.run}`);
  }
}

// A run that fails, a run that outlives runTimeout and a scope that fails to dispose are all logged
// by the library: through the host's logger, so the `logger` module option decides where.
describe("TimedBackgroundService logs through the host's logger", () => {
  const apps = useApps();
  beforeEach(() => {
    // Run 1 outlives its runTimeout (a warning), run 2 fails (an error).
    script.body = async (run) => {
      if (run.run === 1) await aborted(run.signal);
      if (run.run === 2) throw new Error('database unavailable');
    };
  });

  async function runTwice(logger: LoggerService | false | undefined) {
    const clock = new FakeClock();
    const nest = new NestLogSpy();
    const app = await apps.compile(
      {
        imports: [HostedServicesModule.forRoot(logger === undefined ? {} : { logger })],
        providers: [Heartbeat, { provide: HEARTBEAT_OPTIONS, useValue: { period: 1_000, runTimeout: 500 } }],
      },
      { clock, configure: (builder) => builder.setLogger(nest) }, // setLogger = Logger.overrideLogger(nest)
    );
    await app.init();
    await flush();
    await clock.advance(2_000);
    await apps.close(app);
    return { nest, runs: app.get(Heartbeat).runCount };
  }

  const runLines = (nest: NestLogSpy): string[] =>
    nest.lines.filter((l) => /run #/.test(l.message)).map((l) => `${l.level}: ${l.message}`);

  it('logger: false: nothing at all, though the runs happened', async () => {
    const { nest, runs } = await runTwice(false);
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(runLines(nest)).toEqual([]);
  });

  it('a LoggerService: there, and not through Nest’s Logger', async () => {
    const logger = new CaptureLogger();
    const { nest } = await runTwice(logger);
    expect(logger.entries.filter((e) => e.message.includes('run #'))).toEqual([
      { level: 'warn', message: 'Heartbeat: run #1 exceeded runTimeout (500ms); its signal is aborted' },
      { level: 'error', message: 'Heartbeat: run #2 failed: Error: database unavailable' },
    ]);
    expect(runLines(nest)).toEqual([]);
  });

  it("by default: through Nest's Logger, with the host's context 'Hosting'", async () => {
    const { nest } = await runTwice(undefined);
    expect(runLines(nest)).toEqual([
      'warn: Heartbeat: run #1 exceeded runTimeout (500ms); its signal is aborted',
      'error: Heartbeat: run #2 failed: Error: database unavailable',
    ]);
    expect(nest.lines.filter((l) => /run #/.test(l.message)).map((l) => l.context)).toEqual(['Hosting', 'Hosting']);
  });

  it('a subclass that injects properties of its own still logs through the host', async () => {
    const clock = new FakeClock();
    const logger = new CaptureLogger();
    const app = await apps.compile(
      { imports: [HostedServicesModule.forRoot({ logger })], providers: [Greeting, WithOwnProperty] },
      { clock },
    );
    await app.init();
    await clock.advance(1_000);
    expect(logger.messages('error')).toEqual(['WithOwnProperty: run #1 failed: Error: hello from run 1']);
    await apps.close(app);
  });

  it('a timed service built by a factory (not constructed by Nest) logs through the host too', async () => {
    const clock = new FakeClock();
    const logger = new CaptureLogger();
    const app = await apps.compile(
      {
        imports: [HostedServicesModule.forRoot({ logger })],
        providers: [
          {
            provide: WithOwnProperty,
            useFactory: (c: Clock) => Object.assign(new WithOwnProperty(c), { greeting: new Greeting() }),
            inject: [Clock],
          },
        ],
      },
      { clock },
    );
    await app.init();
    await clock.advance(1_000);
    expect(logger.messages('error')).toEqual(['WithOwnProperty: run #1 failed: Error: hello from run 1']);
    await apps.close(app);
  });
});
