import { brandHostingError, HostingErrorCode } from '../errors/hosting-error';
import { describeUnit } from './scope-disposed.error';

/**
 * Thrown by {@link ServiceScope.dispose} when more than one scoped instance failed to dispose.
 * A single failure is rethrown as it is, untouched (as .NET and fx do); only several are
 * aggregated. Every instance was still given its turn: disposal never stops at a failure.
 * `errors` holds the failures in disposal order. Code `HOSTING_SCOPE_DISPOSAL_FAILED`.
 * @publicApi
 * @example Disposing a service scope (unit of work 42) failed for 2 instances: OrderRepository, MailClient
 */
export class ScopeDisposalError extends AggregateError {
  /** Stable machine-readable code. */
  readonly code: HostingErrorCode = 'HOSTING_SCOPE_DISPOSAL_FAILED';

  constructor(errors: readonly unknown[], failedInstances: readonly string[], unitOfWork: object) {
    super(
      errors,
      `Disposing a service scope${describeUnit(unitOfWork)} failed for ${errors.length} instances: ${failedInstances.join(', ')}`,
    );
    this.name = 'ScopeDisposalError';
    brandHostingError(this);
  }
}
