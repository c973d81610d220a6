import { HostingError } from './hosting-error';

/**
 * The application is put together in a way that cannot work (the host module imported twice, a
 * hosted service in a lazily loaded module, a queue without the host module). Thrown while the
 * application starts (or the module loads), never later; the message says what to change.
 * @publicApi
 */
export class MisconfigurationError extends HostingError {
  constructor(message: string) {
    super('HOSTING_MISCONFIGURED', message);
  }
}
