import { Inject, Injectable, Logger, Scope } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { Clock, UnitOfWork } from '../../lib';
import { OrderStore } from './order-store';

/** How long "persisting" an order takes: 50 ms, or `PERSIST_MS`. */
const PERSIST_MS = Number(process.env.PERSIST_MS ?? 50);

/**
 * Request-scoped: the queue has `scopePerItem`, so each work item resolves its own instance (with
 * its own unit of work, as a per-request repository would hold its own transaction).
 */
@Injectable({ scope: Scope.REQUEST })
export class OrdersRepository {
  private readonly logger = new Logger('OrdersRepository');

  constructor(
    @Inject(REQUEST) private readonly unit: UnitOfWork,
    private readonly store: OrderStore,
    private readonly clock: Clock,
  ) {}

  /** Persists the order, giving up (rejecting) as soon as `signal` aborts. */
  async save(id: string, signal: AbortSignal): Promise<void> {
    await this.clock.delay(PERSIST_MS, signal);
    // The delay may have ended just as the signal aborted: the item is then being handed back, so
    // it must not also count as done.
    signal.throwIfAborted();
    this.store.set(id, 'done');
    this.logger.log(`Order ${id} persisted (unit of work ${this.unit.id})`);
  }
}
