import { beforeEach, describe, expect, it } from '@jest/globals';

import { BackgroundService, FakeClock, HostApplicationLifetime, HostedService, HostedServicesModule } from '../../lib';
import { CaptureLogger } from '../helpers/capture-logger';
import { deferred, flush } from '../helpers/deferred';
import { journal, Recorded, signalListeners, track, useApps } from './support/e2e';

@HostedService()
class First extends Recorded {}
@HostedService()
class Hung extends Recorded {}
@HostedService()
class Last extends Recorded {}

/** Ignores its stopping signal: its execute never ends. */
@HostedService()
class Stubborn extends BackgroundService {
  protected execute(): Promise<void> {
    journal.note('Stubborn', 'execute');
    return new Promise<void>(() => undefined);
  }
}

describe('the shutdown deadline through Nest', () => {
  const apps = useApps();
  beforeEach(() => journal.reset());

  it('lets app.close() complete once shutdownTimeout elapses, reports the hung service, and still stops the others', async () => {
    const clock = new FakeClock();
    const logger = new CaptureLogger();
    const baseline = signalListeners();
    const app = await apps.compile(
      { imports: [HostedServicesModule.forRoot({ logger, shutdownTimeout: 5_000 })], providers: [First, Hung, Last] },
      { clock },
    );
    await app.init();
    const lifetime = app.get(HostApplicationLifetime);
    journal.calls.length = 0;

    const entered = deferred();
    journal.when('Hung', 'stop', () => {
      entered.resolve();
      return new Promise<void>(() => undefined); // never settles
    });
    const firstAbortedAtCall: boolean[] = [];
    journal.when('First', 'stop', (signal) => void firstAbortedAtCall.push(signal.aborted));

    const closing = apps.close(app);
    const closeState = track(closing);
    await entered.promise;
    await clock.advance(4_999);
    expect(closeState.done).toBe(false);
    expect(journal.of('stop')).toEqual(['Last', 'Hung']);

    await clock.advance(1);
    await closing;
    // Every started service still got its stop calls, the late ones with an aborted signal.
    expect(journal.of('stop')).toEqual(['Last', 'Hung', 'First']);
    expect(firstAbortedAtCall).toEqual([true]);
    expect(journal.of('stopped')).toEqual(['Last', 'Hung', 'First']);
    expect(lifetime.hasFired('stopped')).toBe(true);

    const errors = logger.messages('error');
    expect(errors).toEqual([
      'Shutdown deadline of 5.00s exceeded; abandoned 1 hosted service: Hung (stop, running for 5.00s)',
    ]);
    expect(clock.pendingTimers).toBe(0);
    expect(signalListeners()).toEqual(baseline);
  });

  it('names a BackgroundService whose execute ignores its stopping signal', async () => {
    const clock = new FakeClock();
    const logger = new CaptureLogger();
    const app = await apps.compile(
      { imports: [HostedServicesModule.forRoot({ logger, shutdownTimeout: 1_500 })], providers: [First, Stubborn] },
      { clock },
    );
    await app.init();
    await flush();
    expect(journal.calls).toContain('Stubborn:execute');
    await clock.advance(1_000); // it has run for 1s when the application closes

    const closing = apps.close(app);
    const closeState = track(closing);
    await clock.advance(1_000);
    expect(closeState.done).toBe(false);
    await clock.advance(500);
    await closing;
    expect(journal.of('stop')).toEqual(['First']);
    expect(logger.messages('error')).toEqual([
      'Shutdown deadline of 1.50s exceeded; abandoned 1 hosted service: Stubborn (execute, running for 2.50s)',
    ]);
    expect(clock.pendingTimers).toBe(0);
  });
});
