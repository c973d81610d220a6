import { HostingError } from './hosting-error';

/**
 * A `@HostedService()` provider cannot be hosted: it lacks `start`/`stop`, or it is not a
 * singleton. Thrown while the application initializes, never later.
 * @publicApi
 */
export class InvalidHostedServiceError extends HostingError {
  /** The offending class name. */
  readonly service: string;

  constructor(service: string, message: string) {
    super('HOSTING_INVALID_SERVICE', message);
    this.service = service;
  }
}
