import { Messages } from '../hosting.messages';
import { HostingError } from './hosting-error';

/**
 * An operation was asked of the host (or of a service) in a state that does not allow it,
 * e.g. starting a host twice.
 * @publicApi
 */
export class InvalidHostStateError extends HostingError {
  constructor(action: string, state: string) {
    super('HOSTING_INVALID_STATE', Messages.invalidState(action, state));
  }
}
