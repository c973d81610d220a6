import { beforeEach, describe, expect, it } from '@jest/globals';

import { FakeClock, HostApplicationLifetime, HostedServicesModule } from '../../../lib';
import { TimedServiceOptions } from '../../../lib/services/timed-service.options';
import { CaptureLogger } from '../../helpers/capture-logger';
import { flush } from '../../helpers/deferred';
import { track, useApps } from '../support/e2e';
import { aborted, Heartbeat, HEARTBEAT_OPTIONS, NestLogSpy, script } from './timed.e2e-fixtures';

describe('TimedBackgroundService hosted by Nest', () => {
  const apps = useApps();
  beforeEach(() => {
    script.body = () => undefined;
  });

  async function boot(options: TimedServiceOptions, shutdownTimeout = 5_000, logs = new NestLogSpy()) {
    const clock = new FakeClock();
    const logger = new CaptureLogger();
    const app = await apps.compile(
      {
        imports: [HostedServicesModule.forRoot({ logger, shutdownTimeout })],
        providers: [Heartbeat, { provide: HEARTBEAT_OPTIONS, useValue: options }],
      },
      { clock, configure: (builder) => builder.setLogger(logs) },
    );
    return { app, clock, logger, logs, service: app.get(Heartbeat) };
  }

  it('runs on init with the injected clock, every period after, and leaves no timer once closed', async () => {
    const { app, clock, service } = await boot({ period: 1_000, schedule: 'fixedRate' });
    expect(service.runCount).toBe(0); // constructed, not started, by compile()
    await app.init();
    await flush();
    expect(service.starts).toEqual([0]);

    await clock.advance(3_000);
    expect(service.starts).toEqual([0, 1_000, 2_000, 3_000]);
    await apps.close(app);
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(10_000);
    expect(service.runCount).toBe(4);
  });

  it('app.close() aborts the in-flight run and waits for it to settle, within shutdownTimeout', async () => {
    script.body = async (run, clock) => {
      if (run.run !== 2) return;
      await aborted(run.signal);
      await clock.delay(1_000); // one more second of cleanup, deaf to any signal
    };
    const { app, clock, logger, service } = await boot({ period: 1_000 }, 5_000);
    await app.init();
    await clock.advance(1_000);
    expect(service.runCount).toBe(2);

    const closing = apps.close(app);
    const closed = track(closing);
    await flush();
    expect(service.runs[1].signal.aborted).toBe(true);
    await clock.advance(999);
    expect(closed.done).toBe(false);
    await clock.advance(1);
    await closing;
    expect(logger.messages('error')).toEqual([]); // finished in time: nothing abandoned
    expect(clock.pendingTimers).toBe(0);
    expect(service.runCount).toBe(2);
  });

  it('app.close() gives up on a run that ignores its signal once shutdownTimeout elapses, and names the service', async () => {
    script.body = (run) => (run.run === 1 ? new Promise<void>(() => undefined) : undefined);
    const { app, clock, logger } = await boot({ period: 1_000, schedule: 'fixedRate' }, 2_000);
    await app.init();
    await flush();

    const closing = apps.close(app);
    const closed = track(closing);
    await clock.advance(1_999);
    expect(closed.done).toBe(false);
    await clock.advance(1);
    await closing;
    expect(logger.messages('error')).toEqual([expect.stringMatching(/abandoned 1 hosted service: Heartbeat \(/)]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("logs a failing run, naming the service, through the host's logger only, and the host keeps running", async () => {
    script.body = (run) => {
      if (run.run === 2) throw new Error('database unavailable');
    };
    const { app, clock, logger, logs, service } = await boot({ period: 1_000 });
    await app.init();
    await clock.advance(3_000);

    expect(logger.messages('error')).toEqual(['Heartbeat: run #2 failed: Error: database unavailable']);
    expect(logs.lines.filter((l) => /run #/.test(l.message))).toEqual([]); // nothing through Nest's own logger
    expect(service.runCount).toBe(4);
    expect(app.get(HostApplicationLifetime).hasFired('stopping')).toBe(false);
    await apps.close(app);
    expect(clock.pendingTimers).toBe(0);
  });
});
