import { ConflictException, Injectable } from '@nestjs/common';
import { BackgroundTaskQueue, WorkItem } from '../../lib';
import { OrderState, OrderStore } from './order-store';
import { OrdersRepository } from './orders.repository';

/** Accepts orders onto the background queue; the HTTP request does not wait for the work. */
@Injectable()
export class OrdersService {
  constructor(
    private readonly queue: BackgroundTaskQueue,
    private readonly store: OrderStore,
  ) {}

  /**
   * Queues the order, labelled with its id (so a hand-back names it). Rejects with
   * `QueueClosedError` once the application is stopping, `QueueFullError` when the queue is full.
   */
  async accept(id: string): Promise<void> {
    if (!this.store.add(id)) throw new ConflictException(`Order ${id} already exists`);
    const work: WorkItem = async (signal, { scope }) => {
      const orders = await scope!.resolve(OrdersRepository); // scopePerItem: the item's own instance
      await orders.save(id, signal);
    };
    try {
      await this.queue.enqueue(work, { label: id });
    } catch (error) {
      this.store.remove(id); // not accepted: the caller still owns it
      throw error;
    }
  }

  state(id: string): OrderState | undefined {
    return this.store.get(id);
  }
}
