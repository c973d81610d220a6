import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import {
  FakeClock,
  HostApplicationLifetime,
  HostedService,
  HostedServicesModule,
  HostStartTimeoutError,
  isHostingError,
} from '../../lib';
import { CaptureLogger } from '../helpers/capture-logger';
import { deferred, flush } from '../helpers/deferred';
import {
  expectCloseAfterFailedInit,
  journal,
  ownHookProperties,
  Recorded,
  settled,
  signalListeners,
  track,
  useApps,
} from './support/e2e';

@HostedService()
class One extends Recorded {}
@HostedService()
class Two extends Recorded {}
@HostedService()
class Three extends Recorded {}
@HostedService()
class Four extends Recorded {}

const SERVICES = [One, Two, Three, Four];

describe('a failed startup rolls back through Nest', () => {
  const apps = useApps();
  let baseline: ReturnType<typeof signalListeners>;
  beforeEach(() => {
    journal.reset();
    baseline = signalListeners();
  });
  afterEach(() => {
    expect(process.exitCode).toBeUndefined();
  });

  it.each([
    [
      'throws synchronously',
      (error: Error) => (): void => {
        throw error;
      },
    ],
    ['rejects', (error: Error) => (): Promise<void> => Promise.reject(error)],
  ])(
    'when a start %s: init() rejects with the same error, earlier services stop in reverse, the rest never start',
    async (_how, fail) => {
      const error = new Error('Three cannot start');
      const listenersDuringStart: number[] = [];
      journal.when('Two', 'start', () => void listenersDuringStart.push(process.listenerCount('SIGTERM')));
      journal.when('Three', 'start', fail(error));
      const logger = new CaptureLogger();
      const app = await apps.compile({ imports: [HostedServicesModule.forRoot({ logger })], providers: SERVICES });
      const lifetime = app.get(HostApplicationLifetime);

      const result = await settled(app.init());
      expect(result).toEqual({ ok: false, error });
      expect(result.ok || result.error).toBe(error);

      expect(journal.calls).toEqual([
        'One:starting',
        'Two:starting',
        'Three:starting',
        'Four:starting',
        'One:start',
        'Two:start',
        'Three:start',
        // rollback: only the services whose start completed, in reverse
        'Two:stopping',
        'One:stopping',
        'Two:stop',
        'One:stop',
        'Two:stopped',
        'One:stopped',
      ]);
      // The library did listen for signals while starting, and no longer does.
      expect(listenersDuringStart).toEqual([baseline.SIGTERM + 1]);
      expect(signalListeners()).toEqual(baseline);
      expect(ownHookProperties(app)).toEqual([]);
      expect(lifetime.hasFired('started')).toBe(false);
      expect(logger.messages('error').join('\n')).toContain('Three: start failed: Error: Three cannot start');

      // Closing the application afterwards stops nothing twice.
      await expectCloseAfterFailedInit(apps.close(app), error);
      expect(journal.of('stop')).toEqual(['Two', 'One']);
      expect(signalListeners()).toEqual(baseline);
    },
  );

  it('when startupTimeout elapses: init() rejects with HostStartTimeoutError naming the hung service', async () => {
    const clock = new FakeClock();
    const entered = deferred();
    journal.when('Two', 'start', () => {
      entered.resolve();
      return new Promise<void>(() => undefined); // never settles
    });
    const app = await apps.compile(
      { imports: [HostedServicesModule.forRoot({ logger: false, startupTimeout: 2_000 })], providers: SERVICES },
      { clock },
    );
    const init = settled(app.init());
    const initState = track(init);
    await entered.promise;
    await clock.advance(1_999);
    expect(initState.done).toBe(false);

    await clock.advance(1);
    const result = await init;
    expect(result.ok).toBe(false);
    const error = !result.ok && result.error;
    expect(error).toBeInstanceOf(HostStartTimeoutError);
    expect(isHostingError(error, 'HOSTING_START_TIMEOUT')).toBe(true);
    expect((error as HostStartTimeoutError).message).toContain('startupTimeout (2000ms)');
    expect((error as HostStartTimeoutError).pending).toEqual(['Two (start, 2.00s)']);
    expect(journal.signals.get('Two:start')?.aborted).toBe(true);
    expect(journal.of('start')).toEqual(['One', 'Two']);
    expect(journal.of('stop')).toEqual(['One']);
    expect(clock.pendingTimers).toBe(0);
    expect(signalListeners()).toEqual(baseline);

    await expectCloseAfterFailedInit(apps.close(app), error);
    expect(journal.of('stop')).toEqual(['One']);
  });

  it('validates before anything starts: no start is called when a later service is invalid', async () => {
    // (validation itself is covered in validation.e2e.spec.ts; here: nothing leaks)
    @HostedService()
    class NoStop {
      start(): void {}
    }
    const app = await apps.compile({
      imports: [HostedServicesModule.forRoot({ logger: false })],
      providers: [One, NoStop],
    });
    const result = await settled(app.init());
    expect(result.ok).toBe(false);
    await flush();
    expect(journal.calls).toEqual([]);
    expect(signalListeners()).toEqual(baseline);
    await expectCloseAfterFailedInit(apps.close(app), !result.ok && result.error);
    expect(journal.calls).toEqual([]);
  });
});
