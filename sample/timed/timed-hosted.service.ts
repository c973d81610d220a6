import { Logger } from '@nestjs/common';
import { Clock, HostedService, TimedBackgroundService, TimedRun, TimedServiceOptions } from '../../lib';

/**
 * The schedule, from the environment: every 5 s as in the .NET sample, or `PERIOD_MS` for a
 * quicker demo; `SCHEDULE=fixedRate` keeps a fixed grid instead of waiting a period after each run.
 * Bad values are reported by the service itself (an InvalidOptionError naming the value).
 */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): TimedServiceOptions {
  return {
    period: env.PERIOD_MS === undefined ? 5_000 : Number(env.PERIOD_MS),
    schedule: (env.SCHEDULE ?? 'fixedDelay') as TimedServiceOptions['schedule'],
  };
}

/**
 * The .NET TimedHostedService (the PeriodicTimer variant): works once at start, then every period,
 * counting its executions. Its work is slow (2 s) on purpose: with `PERIOD_MS=1000` it takes longer
 * than the period, and still runs never overlap (each "finished" comes before the next "working").
 */
@HostedService()
export class TimedHostedService extends TimedBackgroundService {
  private readonly logger = new Logger('TimedHostedService');

  constructor(private readonly clock: Clock) {
    super(optionsFromEnv(), { clock });
  }

  protected override async execute(stopping: AbortSignal): Promise<void> {
    this.logger.log('Timed Hosted Service running.');
    await super.execute(stopping);
  }

  protected async doWork({ run, signal, missedTicks }: TimedRun): Promise<void> {
    const coalesced = missedTicks > 0 ? ` (${missedTicks} missed tick${missedTicks === 1 ? '' : 's'} coalesced)` : '';
    this.logger.log(`Timed Hosted Service is working. Count: ${run}${coalesced}`);
    try {
      // Slow work that honours the signal: stopping aborts it, and the host waits for it to end.
      await this.clock.delay(2_000, signal);
    } catch (error) {
      if (!signal.aborted) throw error;
      this.logger.log(`Timed Hosted Service work was cancelled. Count: ${run}`);
      return;
    }
    this.logger.log(`Timed Hosted Service finished work. Count: ${run}`);
  }

  override async stop(signal: AbortSignal): Promise<void> {
    this.logger.log('Timed Hosted Service is stopping.');
    await super.stop(signal);
  }
}
