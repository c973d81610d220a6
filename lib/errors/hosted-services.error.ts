import { brandHostingError, HostingErrorCode } from './hosting-error';

/**
 * Several hosted services failed in the same phase. A single failure is always rethrown as it
 * was; only two or more are gathered here, in the order they happened.
 * @publicApi
 */
export class HostedServicesError extends AggregateError {
  /** `HOSTING_START_FAILED` or `HOSTING_STOP_FAILED`. */
  readonly code: HostingErrorCode;

  constructor(code: 'HOSTING_START_FAILED' | 'HOSTING_STOP_FAILED', errors: readonly unknown[], message: string) {
    super(errors, message);
    this.name = 'HostedServicesError';
    this.code = code;
    brandHostingError(this);
  }
}
