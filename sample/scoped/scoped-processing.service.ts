import { Inject, Injectable, Logger, Scope } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { Clock, OnUnitOfWorkEnd, UnitOfWork } from '../../lib';

let instances = 0;

/**
 * The .NET ScopedProcessingService: request-scoped, so every unit of work (every scope) gets its
 * own instance, with its own count, and disposes it when the unit ends.
 */
@Injectable({ scope: Scope.REQUEST })
export class ScopedProcessingService implements OnUnitOfWorkEnd {
  private readonly logger = new Logger('ScopedProcessingService');
  private readonly instance = ++instances;
  private executionCount = 0;

  constructor(
    @Inject(REQUEST) private readonly unit: UnitOfWork,
    private readonly clock: Clock,
  ) {
    this.logger.log(`Instance #${this.instance} created for unit of work ${this.unit.id}`);
  }

  /** Two steps of one second each: the count goes 1, 2 within a unit and starts over in the next. */
  async doWork(signal: AbortSignal): Promise<void> {
    for (let step = 0; step < 2; step++) {
      this.executionCount++;
      this.logger.log(
        `Scoped Processing Service is working. Count: ${this.executionCount} (instance #${this.instance}, unit of work ${this.unit.id})`,
      );
      await this.clock.delay(1_000, signal);
    }
  }

  /** Called by the scope when the unit of work ends (Nest itself never disposes scoped instances). */
  onUnitOfWorkEnd(): void {
    this.logger.log(
      `Instance #${this.instance} disposed at the end of unit of work ${this.unit.id} (count ${this.executionCount})`,
    );
  }
}
