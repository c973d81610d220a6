import { Injectable } from '@nestjs/common';

/**
 * The task queues registered in one application, by name, so that a name registered twice fails
 * at startup instead of silently running two consumers. Provided by `HostedServicesModule`, which
 * every queue needs.
 * @internal
 */
@Injectable()
export class QueueRegistry {
  readonly #names = new Set<string>();

  /** Claims `name`; returns false if it is already taken in this application. */
  claim(name: string): boolean {
    if (this.#names.has(name)) return false;
    this.#names.add(name);
    return true;
  }
}
