/** Where an order is: accepted and waiting (or running), persisted, or handed back at shutdown. */
export type OrderState = 'queued' | 'done' | 'handed-back';

/**
 * The "database": an in-memory map shared by everything (a plain singleton). The request-scoped
 * repository writes to it; the queue's `onUnprocessed` marks what it hands back.
 */
export class OrderStore {
  readonly #orders = new Map<string, OrderState>();

  /** Reserves `id` as queued; false if it is already known. */
  add(id: string): boolean {
    if (this.#orders.has(id)) return false;
    this.#orders.set(id, 'queued');
    return true;
  }

  /** Forgets an order the queue did not accept. */
  remove(id: string): void {
    this.#orders.delete(id);
  }

  set(id: string, state: OrderState): void {
    this.#orders.set(id, state);
  }

  get(id: string): OrderState | undefined {
    return this.#orders.get(id);
  }
}
