import { describe, expect, it } from '@jest/globals';

import { SystemClock } from '../../../lib/clock/clock';
import { TimedBackgroundService, TimedRun } from '../../../lib/services/timed-background-service';
import { deferred } from '../../helpers/deferred';

/** Runs every 5 ms on the real clock; signals once it has run three times. */
class RealTimed extends TimedBackgroundService {
  readonly starts: number[] = [];
  readonly thirdRun = deferred();

  constructor(readonly clock: SystemClock) {
    super({ period: 5, schedule: 'fixedRate' }, { clock });
  }

  protected async doWork({ run }: TimedRun): Promise<void> {
    this.starts.push(this.clock.now());
    if (run === 3) this.thirdRun.resolve();
  }
}

// The one real-time check: proves the service works on the real clock (about 10 ms). Asserts only
// lower bounds, which real timers cannot miss however loaded the machine is.
describe('TimedBackgroundService on the real clock', () => {
  it('runs on start, then on the period, and stops cleanly', async () => {
    const service = new RealTimed(new SystemClock());
    const before = performance.now();
    service.start(new AbortController().signal);
    await service.thirdRun.promise;
    await service.stop(new AbortController().signal);
    await expect(service.executeTask).resolves.toBeUndefined();

    expect(service.runCount).toBeGreaterThanOrEqual(3);
    expect(service.starts[2] - before).toBeGreaterThanOrEqual(10);
  });
});
