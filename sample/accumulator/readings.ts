import { Injectable, Logger, Scope } from '@nestjs/common';
import { Channel, OnUnitOfWorkEnd } from '../../lib';

/** One measurement from a sensor. */
export interface Reading {
  readonly sensor: string;
  readonly seq: number;
  readonly value: number;
}

/** The channel between the producers and the batch writer: bounded, producers wait when it is full. */
@Injectable()
export class ReadingsChannel extends Channel<Reading> {
  constructor() {
    super({ capacity: 1_000, fullMode: 'wait' });
  }
}

let repositories = 0;

/**
 * A request-scoped repository: one instance per batch (per unit of work), like a DbContext. It
 * "commits" when its unit ends and is disposed right after, as the scope guarantees.
 */
@Injectable({ scope: Scope.REQUEST })
export class ReadingsRepository implements OnUnitOfWorkEnd {
  private readonly logger = new Logger(ReadingsRepository.name);
  private readonly id = ++repositories;
  private pending: Reading[] = [];
  static stored = 0;

  add(readings: readonly Reading[]): void {
    this.pending.push(...readings);
  }

  onUnitOfWorkEnd(): void {
    ReadingsRepository.stored += this.pending.length;
    this.logger.log(
      `repository #${this.id}: committed ${this.pending.length} readings (total ${ReadingsRepository.stored})`,
    );
    this.pending = [];
  }
}
