import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';

import { BackgroundService, HostApplicationLifetime, HostedService, HostedServicesModule } from '../../lib';
import { CaptureLogger } from '../helpers/capture-logger';
import { Deferred, deferred, flush } from '../helpers/deferred';
import { aborted, journal, Recorded, signalListeners, useApps } from './support/e2e';

/** Observes the lifetime from a plain provider of a module that does not import HostedServicesModule. */
@Injectable()
class Observer {
  constructor(readonly lifetime: HostApplicationLifetime) {
    lifetime.onStarted(() => journal.note('lifetime', 'started'));
    lifetime.onStopping(() => journal.note('lifetime', 'stopping'));
    lifetime.onStopped(() => journal.note('lifetime', 'stopped'));
  }
}

@Module({ providers: [Observer], exports: [Observer] })
class FeatureModule {}

@HostedService()
class Alpha extends Recorded {
  constructor(readonly lifetime: HostApplicationLifetime) {
    super();
  }
}
@HostedService()
class Beta extends Recorded {}

let quit: Deferred<number | undefined>;

/** Calls stopApplication() from inside its execute, then ends on its stopping signal. */
@HostedService()
class Quitter extends BackgroundService {
  constructor(readonly lifetime: HostApplicationLifetime) {
    super();
  }
  protected async execute(stopping: AbortSignal): Promise<void> {
    const exitCode = await quit.promise;
    this.lifetime.stopApplication(exitCode);
    journal.note('Quitter', 'asked-to-stop');
    await aborted(stopping);
    journal.note('Quitter', 'execute-done');
  }
}

describe('HostApplicationLifetime through Nest', () => {
  const apps = useApps();
  beforeEach(() => {
    journal.reset();
    quit = deferred();
  });

  it('is injectable anywhere (the module is global) and is one instance', async () => {
    const app = await apps.compile({
      imports: [HostedServicesModule.forRoot({ logger: false }), FeatureModule],
      providers: [Alpha],
    });
    const lifetime = app.get(HostApplicationLifetime);
    expect(app.get(Observer).lifetime).toBe(lifetime);
    expect(app.get(Alpha).lifetime).toBe(lifetime);
  });

  it('fires started, stopping and stopped once each, in order, around init() and close()', async () => {
    const app = await apps.compile({
      imports: [HostedServicesModule.forRoot({ logger: false }), FeatureModule],
      providers: [Alpha, Beta],
    });
    const lifetime = app.get(HostApplicationLifetime);
    expect(['started', 'stopping', 'stopped'].map((e) => lifetime.hasFired(e as never))).toEqual([false, false, false]);

    await app.init();
    expect(journal.calls).toEqual([
      'Alpha:starting',
      'Beta:starting',
      'Alpha:start',
      'Beta:start',
      'Alpha:started',
      'Beta:started',
      'lifetime:started',
    ]);
    expect(lifetime.stoppingSignal.aborted).toBe(false);

    journal.calls.length = 0;
    await apps.close(app);
    expect(journal.calls).toEqual([
      'lifetime:stopping',
      'Beta:stopping',
      'Alpha:stopping',
      'Beta:stop',
      'Alpha:stop',
      'Beta:stopped',
      'Alpha:stopped',
      'lifetime:stopped',
    ]);
    expect(lifetime.stoppingSignal.aborted).toBe(true);
    // A listener added after its event fired runs at once, and only once.
    const late: string[] = [];
    lifetime.onStarted(() => late.push('started'));
    lifetime.onStopped(() => late.push('stopped'));
    expect(late).toEqual(['started', 'stopped']);
  });

  it.each(['started', 'stopping', 'stopped'] as const)(
    'logs a throwing %s listener, runs the other listeners, and still closes',
    async (event) => {
      const logger = new CaptureLogger();
      const app = await apps.compile({ imports: [HostedServicesModule.forRoot({ logger })], providers: [Alpha, Beta] });
      const lifetime = app.get(HostApplicationLifetime);
      const on = { started: lifetime.onStarted, stopping: lifetime.onStopping, stopped: lifetime.onStopped }[
        event
      ].bind(lifetime);
      const ran: string[] = [];
      on(() => {
        throw new Error(`${event} listener failed`);
      });
      on(() => void ran.push(event));

      await app.init();
      await apps.close(app);
      expect(ran).toEqual([event]);
      expect(journal.of('stop')).toEqual(['Beta', 'Alpha']);
      expect(logger.messages('error')).toEqual([
        `A "${event}" lifetime listener threw; the host carries on: Error: ${event} listener failed`,
      ]);
    },
  );

  describe('stopApplication() from inside a BackgroundService, in a testing module (no shutdown hooks)', () => {
    let exitCodeBefore: typeof process.exitCode;
    beforeEach(() => {
      exitCodeBefore = process.exitCode;
      process.exitCode = undefined; // another spec file in this worker may have set it
    });
    afterEach(() => {
      process.exitCode = exitCodeBefore;
    });

    it.each([undefined, 3])(
      'stops the hosted services, logs an error that nothing can close the app (use runHost), and sets process.exitCode to a non-zero code asked for (exit code %p)',
      async (code) => {
        const logger = new CaptureLogger();
        const baseline = signalListeners();
        const app = await apps.compile({
          imports: [HostedServicesModule.forRoot({ logger }), FeatureModule],
          providers: [Beta, Quitter],
        });
        const lifetime = app.get(HostApplicationLifetime);
        const stopped = deferred();
        lifetime.onStopped(() => stopped.resolve());
        await app.init();
        await flush();
        journal.calls.length = 0;

        quit.resolve(code);
        await stopped.promise;
        // stopApplication() begins the stop synchronously; Quitter (started last) is stopped first.
        expect(journal.calls).toEqual([
          'lifetime:stopping',
          'Beta:stopping',
          'Quitter:asked-to-stop',
          'Quitter:execute-done',
          'Beta:stop',
          'Beta:stopped',
          'lifetime:stopped',
        ]);
        expect(logger.messages('error')).toEqual([
          expect.stringMatching(
            /^The hosted services stopped \(stopApplication\(\d?\) was called\), but nothing can close the Nest application.*runHost\(app\)/,
          ),
        ]);
        expect(lifetime.requestedExitCode).toBe(code);
        await flush(); // the code is written once the stop has completed
        // So that a process that ends by itself (nothing else holds it) ends with the code asked for.
        expect(process.exitCode).toBe(code);

        // Closing the application later stops nothing twice and fires no event twice.
        await apps.close(app);
        expect(journal.of('stop')).toEqual(['Beta']);
        expect(journal.calls.filter((c) => c.startsWith('lifetime:'))).toEqual([
          'lifetime:stopping',
          'lifetime:stopped',
        ]);
        expect(process.exitCode).toBe(code);
        expect(signalListeners()).toEqual(baseline);
        expect(logger.messages('error')).toHaveLength(1); // the one refusal above, nothing else
      },
    );
  });
});
