import { InjectionToken } from '@nestjs/common';
import { ContextId, ContextIdFactory, ContextIdStrategy, INQUIRER, ModuleRef, REQUEST } from '@nestjs/core';
import { WrapperLike } from '../nest/nest-internals';

// What the scope reads off Nest's `InstanceWrapper`s (described once, in nest/nest-internals.ts):
// Nest has no public API to list the instances it created for a context id (nestjs/nest#2809).
// test/unit/scope runs on both majors to catch a drift.

/** The wrapper of a provider, as the scope reads it. @internal */
export type ScopedWrapper = WrapperLike;

/**
 * The wrapper `moduleRef.resolve(token, contextId, { strict: false })` resolves: the last link
 * of the token in `ModuleRef#instanceLinksHost` (a protected getter, same lookup as Nest's).
 * `undefined` when the token is unknown (the resolve itself has failed then).
 * @internal
 */
export function findWrapper(moduleRef: ModuleRef, token: InjectionToken): ScopedWrapper | undefined {
  const links = (moduleRef as unknown as { instanceLinksHost: { get(t: InjectionToken): unknown } }).instanceLinksHost;
  try {
    return (links.get(token) as { wrapperRef: ScopedWrapper }).wrapperRef;
  } catch {
    return undefined;
  }
}

/**
 * The dependencies (constructor, property, enhancer) of a wrapper that can have an instance per
 * context: non-static or transient. `REQUEST` (the unit itself) and `INQUIRER` (the parent)
 * are not instances the scope created, so they are left out.
 * @internal
 */
export function scopedDependencies(wrapper: ScopedWrapper): ScopedWrapper[] {
  const all = [
    ...(wrapper.getCtorMetadata() ?? []),
    ...(wrapper.getPropertiesMetadata() ?? []).map((property) => property?.wrapper),
    ...(wrapper.getEnhancersMetadata() ?? []),
  ];
  return all.filter(
    (dep): dep is ScopedWrapper =>
      dep !== undefined &&
      typeof dep.isDependencyTreeStatic === 'function' &&
      dep.token !== REQUEST &&
      dep.token !== INQUIRER &&
      (dep.isTransient || !dep.isDependencyTreeStatic()),
  );
}

/**
 * Whether Nest keeps the wrapper's instance for `contextId` in another context: a durable
 * sub-tree's (see `ContextIdStrategy`). Mirrors `Injector#getContextId` on both majors.
 * @internal
 */
export function isHostedElsewhere(wrapper: ScopedWrapper, contextId: ContextId): boolean {
  if (!contextId.getParent || wrapper.isTransient) return false;
  const info = { token: wrapper.token, isTreeDurable: wrapper.isDependencyTreeDurable() };
  return contextId.getParent(info) !== contextId;
}

/**
 * Calls `visit` with every constructed instance of `wrapper` in `contextId`: at most one for a
 * non-transient provider, one per inquirer for a transient one (skipping the inquirers for which
 * `skipInquirer` is true). Never creates an entry, unlike `getInstanceByContextId`.
 * @internal
 */
export function forEachInstanceIn(
  wrapper: ScopedWrapper,
  contextId: ContextId,
  skipInquirer: (inquirerId: string) => boolean,
  visit: (instance: unknown) => void,
): void {
  if (!wrapper.isTransient) {
    const host = wrapper.values.get(contextId);
    if (host?.isResolved) visit(host.instance);
    return;
  }
  wrapper.transientMap?.forEach((perContext, inquirerId) => {
    const host = perContext.get(contextId);
    if (host?.isResolved && !skipInquirer(inquirerId)) visit(host.instance);
  });
}

/**
 * A fresh context id for a unit of work, with the registered `ContextIdStrategy` (if any)
 * attached, so durable providers work as Nest documents. `ContextIdFactory.getByRequest` would
 * do the attaching, but it *reuses* the context id Nest stored on an object it has already seen
 * as a request; a unit must never join an HTTP request's context (disposing the unit would
 * dispose the request's instances). So: `create()` plus the same attach steps, reading the
 * strategy from the private static `ContextIdFactory.strategy`.
 * @internal
 */
export function createUnitContextId(unitOfWork: object): ContextId {
  const contextId = ContextIdFactory.create();
  const strategy = (ContextIdFactory as unknown as { strategy?: ContextIdStrategy }).strategy;
  if (!strategy) return contextId;
  const resolver = strategy.attach(contextId, unitOfWork);
  if (typeof resolver === 'object' && resolver !== null) {
    contextId.getParent = resolver.resolve;
    contextId.payload = resolver.payload;
  } else {
    contextId.getParent = resolver;
  }
  return contextId;
}
