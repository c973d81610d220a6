import { Abstract, Type } from '@nestjs/common';
import { ContextId } from '@nestjs/core';

import { UnitOfWork } from './unit-of-work';

/**
 * A DI scope for one unit of work (a queue item, a tick, a message): .NET's
 * `AsyncServiceScope`, created by {@link ServiceScopeFactory.createScope}.
 *
 * Within a scope, a request-scoped provider has one instance, shared by everything resolved
 * from it; another scope gets its own. Transient providers get a new instance per injection,
 * durable ones are shared across the scopes of a durable tree (as Nest documents both), and
 * singletons are the application's own.
 *
 * Disposing the scope ends the unit: every instance the scope created (the ones resolved and
 * their scoped and transient dependencies; never singletons or durable instances) that
 * implements {@link OnUnitOfWorkEnd}, `Symbol.asyncDispose` or `Symbol.dispose` is disposed, in
 * reverse creation order. Write `await using scope = factory.createScope()` to make it
 * automatic.
 * @publicApi
 */
export interface ServiceScope<U extends object = UnitOfWork> extends AsyncDisposable {
  /**
   * The Nest context id of the scope: the same one `ModuleRef.resolve(token, contextId)` or
   * `ModuleRef.registerRequestByContextId` take, for code that must talk to Nest directly.
   * Instances resolved with it outside the scope are not tracked, so are not disposed.
   */
  readonly contextId: ContextId;
  /** The unit of work: what request-scoped providers receive when they inject `REQUEST`. */
  readonly unitOfWork: U;
  /**
   * Resolves a provider in this scope, from any module (`strict: false`), as
   * `moduleRef.resolve(token, contextId, { strict: false })` does.
   * @throws ScopeDisposedError (rejects) once `dispose()` has been called.
   */
  resolve<T = unknown>(typeOrToken: Type<T> | Abstract<T> | string | symbol): Promise<T>;
  /**
   * Disposes the scope: first waits for the resolutions still under way (so what they create
   * is disposed too), then disposes the instances the scope created, last created first. Every
   * instance gets its turn even when one throws; then one failure is rethrown as it is, and
   * several as a {@link ScopeDisposalError}. Calling it again is a no-op that settles once the
   * first disposal has (it never rejects).
   */
  dispose(): Promise<void>;
}
