import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { BackgroundService, HostApplicationLifetime, HostedService, HostedServicesModule } from '../../lib';
import { CaptureLogger } from '../helpers/capture-logger';
import { Deferred, deferred, flush } from '../helpers/deferred';
import { journal, Recorded, useApps } from './support/e2e';

let crash: Deferred;

@HostedService()
class Bystander extends Recorded {}

/** Its execute rejects when the test says so, before any shutdown. */
@HostedService()
class Crasher extends BackgroundService {
  protected async execute(): Promise<void> {
    journal.note('Crasher', 'execute');
    await crash.promise;
  }
}

@HostedService()
class Trailer extends Recorded {}

describe('BackgroundService faults through Nest', () => {
  const apps = useApps();
  let exitCodeBefore: typeof process.exitCode;
  beforeEach(() => {
    journal.reset();
    crash = deferred();
    exitCodeBefore = process.exitCode;
  });
  afterEach(() => {
    process.exitCode = exitCodeBefore;
  });

  it("with the default 'stopHost': logs the fault naming the service, logs a fatal line, and stops the hosted services", async () => {
    const logger = new CaptureLogger();
    const app = await apps.compile({
      imports: [HostedServicesModule.forRoot({ logger })],
      providers: [Bystander, Crasher, Trailer],
    });
    const lifetime = app.get(HostApplicationLifetime);
    const stopped = deferred();
    lifetime.onStopped(() => stopped.resolve());
    await app.init();
    await flush();
    journal.calls.length = 0;

    crash.reject(new Error('disk full'));
    await stopped.promise;
    expect(journal.of('stop')).toEqual(['Trailer', 'Bystander']);
    expect(logger.messages('error')).toEqual([
      'Background service Crasher failed: Error: disk full',
      expect.stringMatching(
        /^The hosted services stopped \(Crasher failed\), but nothing can close the Nest application.*runHost\(app\)/,
      ),
    ]);
    expect(logger.messages('fatal')).toEqual([
      "Background service Crasher failed and backgroundServiceExceptionBehavior is 'stopHost': the application is stopping (set it to 'ignore' to keep running; the service is not restarted either way)",
    ]);
    // Even without shutdown hooks (the testing module stays open, and says so), a crashed worker
    // must not exit 0: the exit code is set to 1 (the .NET 11 fix). afterEach restores it.
    expect(process.exitCode).toBe(1);

    await apps.close(app);
    expect(journal.of('stop')).toEqual(['Trailer', 'Bystander']);
  });

  it("with 'ignore': logs the fault and keeps every other service running", async () => {
    const logger = new CaptureLogger();
    const app = await apps.compile({
      imports: [HostedServicesModule.forRoot({ logger, backgroundServiceExceptionBehavior: 'ignore' })],
      providers: [Bystander, Crasher, Trailer],
    });
    const lifetime = app.get(HostApplicationLifetime);
    await app.init();
    await flush();
    journal.calls.length = 0;

    crash.reject(new Error('disk full'));
    await flush();
    expect(logger.messages('error')).toEqual(['Background service Crasher failed: Error: disk full']);
    expect(logger.messages('fatal')).toEqual([]);
    expect(journal.calls).toEqual([]);
    expect(lifetime.hasFired('stopping')).toBe(false);
    expect(lifetime.stoppingSignal.aborted).toBe(false);

    await apps.close(app);
    expect(journal.of('stop')).toEqual(['Trailer', 'Bystander']);
    expect(logger.messages('error')).toHaveLength(1); // the fault is not reported again at shutdown
  });

  it('an execute that resolves early is not a fault', async () => {
    const logger = new CaptureLogger();
    const app = await apps.compile({
      imports: [HostedServicesModule.forRoot({ logger })],
      providers: [Bystander, Crasher],
    });
    await app.init();
    crash.resolve();
    await flush();
    expect(logger.messages('error')).toEqual([]);
    expect(app.get(HostApplicationLifetime).hasFired('stopping')).toBe(false);
    expect(logger.messages('debug')).toContain('Crasher: execute completed');
  });
});
