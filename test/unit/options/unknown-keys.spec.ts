import { describe, expect, it } from '@jest/globals';

import {
  BackgroundTaskQueueModule,
  Channel,
  FakeClock,
  HostedService,
  HostedServicesModule,
  InvalidOptionError,
  isHostingError,
  PeriodicTimer,
  TimedBackgroundService,
} from '../../../lib';
import { TimedServiceOptions } from '../../../lib/services/timed-service.options';

class Timed extends TimedBackgroundService {
  constructor(options: TimedServiceOptions) {
    super(options, { clock: new FakeClock() });
  }
  protected async doWork(): Promise<void> {}
}

// A misspelt option must not pass silently (its default would apply without a word): every
// options object rejects a key it does not know, naming it and listing the ones it does.
describe('every options object rejects unknown keys', () => {
  it.each<[string, () => unknown, string, string]>([
    [
      'HostedServicesModule.forRoot',
      () => HostedServicesModule.forRoot({ shutdownTimout: 5 } as never),
      'shutdownTimout',
      'shutdownTimeout',
    ],
    [
      'BackgroundTaskQueueModule.register',
      () => BackgroundTaskQueueModule.register({ capasity: 5 } as never),
      'capasity',
      'capacity',
    ],
    ['new Channel', () => new Channel({ capasity: 5 } as never), 'capasity', 'capacity'],
    ['new PeriodicTimer', () => new PeriodicTimer(10, { clok: new FakeClock() } as never), 'clok', 'clock'],
    [
      'a TimedBackgroundService',
      () => new Timed({ period: 10, runOnstart: false } as never),
      'runOnstart',
      'runOnStart',
    ],
    ['@HostedService', () => HostedService({ ordr: 1 } as never), 'ordr', 'order'],
  ])('%s', (_what, create, unknown, known) => {
    let error: unknown;
    try {
      create();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(isHostingError(error, 'HOSTING_INVALID_OPTION')).toBe(true);
    expect((error as InvalidOptionError).option).toBe(unknown);
    expect((error as Error).message).toMatch(
      new RegExp(`^Expected \`${unknown}\` to be a known option \\(one of .*\\b${known}\\b`),
    );
  });

  it('accepts every documented key', () => {
    expect(() =>
      BackgroundTaskQueueModule.register({
        name: 'q',
        capacity: 5,
        fullMode: 'reject',
        concurrency: 2,
        scopePerItem: false,
        shutdown: 'abandon',
        onUnprocessed: () => undefined,
      }),
    ).not.toThrow();
    expect(() => new Channel({ capacity: 5, fullMode: 'dropOldest', onDrop: () => undefined })).not.toThrow();
    expect(() => new PeriodicTimer(10, { clock: new FakeClock() }).stop()).not.toThrow();
  });
});
