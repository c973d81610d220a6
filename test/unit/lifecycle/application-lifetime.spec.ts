import { describe, expect, it } from '@jest/globals';
import { InvalidOptionError } from '../../../lib/errors/invalid-option.error';
import { isHostingError } from '../../../lib/errors/hosting-error';
import { HostingLogger } from '../../../lib/hosting.logger';
import { HostApplicationLifetime, LifetimeEvent, StopReason } from '../../../lib/lifecycle/application-lifetime';
import { CaptureLogger } from '../../helpers/capture-logger';
import { CallLog } from '../../helpers/recorder';
import { createHost, recorded, recordLifetime } from './host.fixtures';

const on = (lifetime: HostApplicationLifetime, event: LifetimeEvent, listener: () => void): (() => void) =>
  event === 'started'
    ? lifetime.onStarted(listener)
    : event === 'stopping'
      ? lifetime.onStopping(listener)
      : lifetime.onStopped(listener);

function attached(): { lifetime: HostApplicationLifetime; logger: CaptureLogger; requests: StopReason[] } {
  const lifetime = new HostApplicationLifetime();
  const logger = new CaptureLogger();
  const requests: StopReason[] = [];
  lifetime.attach(new HostingLogger(logger), (r) => requests.push(r));
  return { lifetime, logger, requests };
}

describe('HostApplicationLifetime', () => {
  // .NET Internal/HostTests.HostApplicationLifetimeEventsOrderedCorrectlyDuringShutdown (B33, B71).
  it("fires started, stopping and stopped once each, in that order, around the host's run", async () => {
    const calls = new CallLog();
    const { host, lifetime } = createHost([recorded('a', calls, {}, false)]);
    recordLifetime(lifetime, calls);

    await host.start();
    expect(lifetime.hasFired('started')).toBe(true);
    lifetime.notify('started'); // a repeat is a no-op
    const stopped = host.stop().then(() => calls.calls.push('stop resolved'));
    expect(lifetime.hasFired('stopping')).toBe(true); // synchronously, as StopApplication
    await stopped;
    lifetime.notify('stopping');
    lifetime.notify('stopped');

    expect(calls.calls).toEqual([
      'a:start',
      'lifetime=started',
      'lifetime=stopping',
      'a:stop',
      'lifetime=stopped',
      'stop resolved',
    ]);
  });

  it('aborts stoppingSignal when, and only when, stopping fires', () => {
    const { lifetime } = attached();
    lifetime.notify('started');
    expect(lifetime.stoppingSignal.aborted).toBe(false);
    lifetime.notify('stopping');
    expect(lifetime.stoppingSignal.aborted).toBe(true);
  });

  it.each<LifetimeEvent>(['started', 'stopping', 'stopped'])(
    'runs a %s listener added after the event at once',
    (event) => {
      const { lifetime } = attached();
      lifetime.notify(event);
      const ran: string[] = [];
      on(lifetime, event, () => ran.push('late'));
      expect(ran).toEqual(['late']);
      lifetime.notify(event);
      expect(ran).toEqual(['late']);
    },
  );

  it('runs listeners in the order they were added, a function added twice twice, and not after removal', () => {
    const { lifetime } = attached();
    const ran: string[] = [];
    const twice = (): number => ran.push('twice');
    lifetime.onStopping(() => ran.push('first'));
    lifetime.onStopping(twice);
    const remove = lifetime.onStopping(() => ran.push('removed'));
    lifetime.onStopping(twice);
    remove();
    lifetime.notify('stopping');
    expect(ran).toEqual(['first', 'twice', 'twice']);
  });

  // .NET Internal/HostTests.HostNotifiesAllIHostApplicationLifetimeCallbacksEvenIfTheyThrow (B11, B68).
  it('logs a throwing listener and still runs the others, without breaking start or stop', async () => {
    const calls = new CallLog();
    const { host, lifetime, logger } = createHost([recorded('a', calls, {}, false)]);
    const ran: string[] = [];
    for (const event of ['started', 'stopping', 'stopped'] as const) {
      for (const i of [1, 2, 3]) {
        on(lifetime, event, () => {
          ran.push(`${event}${i}`);
          throw new Error(`${event} listener ${i}`);
        });
      }
    }

    await expect(host.start()).resolves.toBeUndefined();
    await expect(host.stop()).resolves.toBeUndefined();

    expect(ran).toEqual([
      'started1',
      'started2',
      'started3',
      'stopping1',
      'stopping2',
      'stopping3',
      'stopped1',
      'stopped2',
      'stopped3',
    ]);
    const errors = logger.messages('error');
    expect(errors).toHaveLength(9);
    expect(errors[0]).toContain('"started" lifetime listener threw');
    expect(errors[0]).toContain('started listener 1');
    expect(errors[8]).toContain('stopped listener 3');
    expect(calls.of('stop')).toEqual(['a']);
    expect(host.exitCode).toBe(0);
  });

  it('rejects a listener that is not a function', () => {
    const { lifetime } = attached();
    expect(() => lifetime.onStarted(42 as unknown as () => void)).toThrow(InvalidOptionError);
  });

  describe('stopApplication', () => {
    it.each([0, 1, 3, 255])('asks the host to stop and records exit code %i', (code) => {
      const { lifetime, requests } = attached();
      lifetime.stopApplication(code);
      expect(requests).toEqual([{ kind: 'application', exitCode: code }]);
      expect(lifetime.requestedExitCode).toBe(code);
    });

    it('asks the host to stop without recording a code when none is given', () => {
      const { lifetime, requests } = attached();
      lifetime.stopApplication();
      expect(requests).toEqual([{ kind: 'application', exitCode: undefined }]);
      expect(lifetime.requestedExitCode).toBeUndefined();
    });

    it.each([-1, 256, 1.5, NaN, Infinity, '3', null])(
      'rejects exit code %p with an InvalidOptionError naming it, and does not stop',
      (code) => {
        const { lifetime, requests } = attached();
        let thrown: unknown;
        try {
          lifetime.stopApplication(code as number);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(InvalidOptionError);
        expect(thrown).toBeInstanceOf(TypeError);
        expect(isHostingError(thrown, 'HOSTING_INVALID_OPTION')).toBe(true);
        expect((thrown as InvalidOptionError).option).toBe('exitCode');
        expect((thrown as InvalidOptionError).message).toContain('exitCode');
        expect((thrown as InvalidOptionError).message).toContain(String(code));
        expect(requests).toEqual([]);
        expect(lifetime.requestedExitCode).toBeUndefined();
      },
    );

    it('keeps the first exit code asked for', () => {
      const { lifetime, requests } = attached();
      lifetime.stopApplication(3);
      lifetime.stopApplication(4);
      expect(lifetime.requestedExitCode).toBe(3);
      expect(requests).toHaveLength(2); // the host's stop is idempotent: repeats are harmless
    });

    it('does nothing but record the code before a host is attached', () => {
      const lifetime = new HostApplicationLifetime();
      expect(() => lifetime.stopApplication(2)).not.toThrow();
      expect(lifetime.requestedExitCode).toBe(2);
      expect(lifetime.hasFired('stopping')).toBe(false);
    });
  });
});
