import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';

import { InvalidOptionError } from '../errors/invalid-option.error';
import { createUnitContextId } from './scoped-instances';
import { ScopedInstanceCollector } from './scoped-instance-collector';
import { ServiceScope } from './service-scope.interface';
import { createUnitOfWork, UnitOfWork } from './unit-of-work';
import { UnitOfWorkScope } from './unit-of-work-scope';

/**
 * Creates a DI scope per unit of work: .NET's `IServiceScopeFactory.CreateAsyncScope()` for
 * Nest. Nest creates request-scoped instances per context id but never disposes them
 * (nestjs/nest#2809); a scope tracks the ones it created and disposes them when the unit ends.
 *
 * It is a concrete singleton that doubles as its own DI token: inject it as
 * `ServiceScopeFactory`, provide it as `providers: [ServiceScopeFactory]`, and replace it in
 * tests with `overrideProvider(ServiceScopeFactory)`. (No abstract class in front of it: the one
 * implementation is Nest's own injector, and a fake would only need `createScope`.)
 * @publicApi
 * @example
 * for (const job of jobs) {
 *   await using scope = this.scopes.createScope({ id: job.id, label: 'invoice' });
 *   const handler = await scope.resolve(InvoiceHandler); // request-scoped
 *   await handler.handle(job);
 * } // the handler and its scoped dependencies are disposed here, last created first
 */
@Injectable()
export class ServiceScopeFactory {
  private readonly collector: ScopedInstanceCollector;

  constructor(private readonly moduleRef: ModuleRef) {
    this.collector = new ScopedInstanceCollector(moduleRef);
  }

  /**
   * Creates a scope with a fresh context id, and registers `unitOfWork` as its `REQUEST`.
   *
   * @param unitOfWork what request-scoped providers receive when they inject `REQUEST`, and what
   *   a `ContextIdStrategy` receives in `attach()` (so durable providers can key on it). An
   *   object; defaults to a new {@link UnitOfWork} `{ id }`. Even an object Nest already
   *   tracks as an HTTP request gets a fresh context: a unit never joins a request's instances.
   * @throws InvalidOptionError when `unitOfWork` is given but is not an object.
   */
  createScope(): ServiceScope<UnitOfWork>;
  createScope<U extends object>(unitOfWork: U): ServiceScope<U>;
  createScope(unitOfWork?: object): ServiceScope<object> {
    if (unitOfWork === undefined) {
      unitOfWork = createUnitOfWork();
    } else if (!isObject(unitOfWork)) {
      // Nest handles it as a request object (REQUEST, ContextIdStrategy.attach): an object.
      throw new InvalidOptionError('unitOfWork', 'an object', unitOfWork);
    }
    const contextId = createUnitContextId(unitOfWork);
    this.moduleRef.registerRequestByContextId(unitOfWork, contextId);
    return new UnitOfWorkScope(this.moduleRef, this.collector, contextId, unitOfWork);
  }
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}
