import { InjectionToken } from '@nestjs/common';

import { HostingError } from '../errors/hosting-error';
import { describeToken } from './describe-token';

/**
 * Thrown (as a rejection) by {@link ServiceScope.resolve} once the scope's disposal has begun:
 * its instances are being or have been disposed, so handing out more would leak them. The .NET
 * counterpart is `ObjectDisposedException`. Code `HOSTING_SCOPE_DISPOSED`.
 * @publicApi
 * @example Cannot resolve OrderRepository from a service scope that has been disposed (unit of work 42)
 */
export class ScopeDisposedError extends HostingError {
  /** The token whose resolution was refused. */
  readonly token: InjectionToken;

  constructor(token: InjectionToken, unitOfWork: object) {
    super(
      'HOSTING_SCOPE_DISPOSED',
      `Cannot resolve ${describeToken(token)} from a service scope that has been disposed${describeUnit(unitOfWork)}`,
    );
    this.token = token;
  }
}

/**
 * ` (unit of work 42)` when the unit has an `id`, else nothing.
 * @internal
 */
export function describeUnit(unitOfWork: object): string {
  const id = (unitOfWork as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? ` (unit of work ${id})` : '';
}
