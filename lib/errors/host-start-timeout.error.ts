import { Messages } from '../hosting.messages';
import { HostingError } from './hosting-error';

/**
 * Startup took longer than `startupTimeout`. The services that had started were stopped again.
 * @publicApi
 */
export class HostStartTimeoutError extends HostingError {
  /** Names of the services whose start had not finished, with how long each had been running. */
  readonly pending: readonly string[];

  constructor(timeoutMs: number, pending: readonly string[]) {
    super('HOSTING_START_TIMEOUT', Messages.startTimeout(timeoutMs, pending.join(', ') || '(none)'));
    this.pending = pending;
  }
}
