import { MAX_TIMER_MS } from '../hosting.constants';

/**
 * Holds Node's event loop open while hosted services run, as .NET's `host.Run()` blocks until
 * shutdown. Without it, a worker whose services only await promises (no socket, no timer) would
 * exit with code 0 right after startup, or in the middle of a start that waits on a promise
 * (nest#7638, nest#9704).
 * @internal
 */
export class KeepAlive {
  #handle: ReturnType<typeof setInterval> | undefined;

  hold(): void {
    // A real interval on purpose: its only job is to be an active handle; it never does anything.
    this.#handle ??= setInterval(() => undefined, MAX_TIMER_MS);
  }

  release(): void {
    if (this.#handle) clearInterval(this.#handle);
    this.#handle = undefined;
  }
}
