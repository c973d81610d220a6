import { Messages } from '../hosting.messages';
import { HostingError } from './hosting-error';

/**
 * Startup was cancelled before it completed, by a shutdown signal. The services that had started
 * were stopped again.
 * @publicApi
 */
export class HostStartCancelledError extends HostingError {
  constructor(reason: string) {
    super('HOSTING_START_CANCELLED', Messages.startCancelled(reason));
  }
}
