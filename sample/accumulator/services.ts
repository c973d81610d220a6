import { Logger } from '@nestjs/common';
import { BackgroundService, Clock, HostedService, ServiceScopeFactory } from '../../lib';
import { Reading, ReadingsChannel, ReadingsRepository } from './readings';

const BATCH_SIZE = Number(process.env.BATCH_SIZE ?? 50);
const FLUSH_MS = Number(process.env.FLUSH_MS ?? 1_000);
const PRODUCE_EVERY_MS = Number(process.env.PRODUCE_EVERY_MS ?? 20);

/** Produces readings until stopped. Two instances, each its own hosted service. */
abstract class SensorProducer extends BackgroundService {
  private readonly logger = new Logger(this.constructor.name);
  produced = 0;
  /** Readings the channel accepted (a write aborted by the stop was not). */
  accepted = 0;

  constructor(
    private readonly channel: ReadingsChannel,
    private readonly clock: Clock,
    private readonly sensor: string,
  ) {
    super();
  }

  protected async execute(stopping: AbortSignal): Promise<void> {
    while (!stopping.aborted) {
      const reading: Reading = { sensor: this.sensor, seq: ++this.produced, value: Math.random() };
      try {
        await this.channel.writer.write(reading, stopping); // waits while the channel is full
        this.accepted++;
        await this.clock.delay(PRODUCE_EVERY_MS, stopping);
      } catch {
        break; // stopping: a write that was aborted was never accepted, so nothing is lost
      }
    }
    this.logger.log(`${this.sensor}: produced ${this.accepted} readings`);
  }
}

@HostedService()
export class TemperatureSensor extends SensorProducer {
  constructor(channel: ReadingsChannel, clock: Clock) {
    super(channel, clock, 'temperature');
  }
}

@HostedService()
export class HumiditySensor extends SensorProducer {
  constructor(channel: ReadingsChannel, clock: Clock) {
    super(channel, clock, 'humidity');
  }
}

/**
 * Accumulates readings into batches (BATCH_SIZE, or whatever arrived within FLUSH_MS) and persists
 * each batch through its own scoped repository. It starts first and stops last (order -1), so at
 * stop the producers are already done: it drains the channel and persists the final batch.
 */
@HostedService({ order: -1 })
export class BatchWriter extends BackgroundService {
  private readonly logger = new Logger(BatchWriter.name);
  batches = 0;
  persisted = 0;

  constructor(
    private readonly channel: ReadingsChannel,
    private readonly scopes: ServiceScopeFactory,
    private readonly clock: Clock,
  ) {
    super();
  }

  protected async execute(stopping: AbortSignal): Promise<void> {
    const { reader } = this.channel;
    while (!stopping.aborted) {
      const batch: Reading[] = [];
      const flushAt = this.clock.now() + FLUSH_MS;
      while (batch.length < BATCH_SIZE && !stopping.aborted) {
        const next = reader.tryRead();
        if (next !== undefined) {
          batch.push(next);
          continue;
        }
        const wait = new AbortController();
        const timer = this.clock.setTimer(() => wait.abort(), Math.max(0, flushAt - this.clock.now()));
        const onStop = (): void => wait.abort();
        stopping.addEventListener('abort', onStop, { once: true });
        const more = await reader.waitToRead(wait.signal).catch(() => false);
        timer.cancel();
        stopping.removeEventListener('abort', onStop);
        if (!more) break;
      }
      if (batch.length > 0) await this.persist(batch);
    }
  }

  /** Stop: first let execute end, then persist whatever the producers left in the channel. */
  override async stop(signal: AbortSignal): Promise<void> {
    await super.stop(signal);
    this.channel.writer.complete();
    const rest = this.channel.reader.drain();
    for (let i = 0; i < rest.length; i += BATCH_SIZE) await this.persist(rest.slice(i, i + BATCH_SIZE));
    this.logger.log(`persisted ${this.persisted} readings in ${this.batches} batches`);
  }

  private async persist(batch: readonly Reading[]): Promise<void> {
    const scope = this.scopes.createScope();
    try {
      const repository = await scope.resolve(ReadingsRepository);
      repository.add(batch);
      this.batches++;
      this.persisted += batch.length;
    } finally {
      await scope.dispose(); // commits (onUnitOfWorkEnd) and releases the repository
    }
  }
}
