export type { OnUnitOfWorkEnd } from './on-unit-of-work-end.interface';
export { ScopeDisposalError } from './scope-disposal.error';
export { ScopeDisposedError } from './scope-disposed.error';
export type { ServiceScope } from './service-scope.interface';
export { ServiceScopeFactory } from './service-scope-factory';
export type { UnitOfWork } from './unit-of-work';
