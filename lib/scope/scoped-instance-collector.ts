import { InjectionToken } from '@nestjs/common';
import { ContextId, ModuleRef } from '@nestjs/core';

import {
  findWrapper,
  forEachInstanceIn,
  isHostedElsewhere,
  ScopedWrapper,
  scopedDependencies,
} from './scoped-instances';

/**
 * Receives the instances a resolution created in a context.
 * @internal
 */
export interface InstanceSink {
  track(instance: unknown): void;
}

/**
 * Finds the instances Nest created in a context id while resolving a token: the token's own
 * and those of its scoped dependencies, in creation order (a dependency before its dependents).
 * One collector serves every scope of a factory, so what can be computed once is: the scoped
 * dependencies of each wrapper, and the walk from each root. Both are cached only from a
 * resolution that succeeded: Nest records a wrapper's dependencies as it resolves them (Nest 11
 * not before the first resolution of an explicitly request-scoped provider), so only a complete
 * resolution guarantees the whole tree is known.
 * @internal
 */
export class ScopedInstanceCollector {
  private readonly dependencies = new WeakMap<ScopedWrapper, readonly ScopedWrapper[]>();
  /**
   * The walk from each root, for contexts without a `ContextIdStrategy`: it then depends on the
   * wrappers only, so it is done once per root. (With a strategy, the strategy decides per
   * context which wrappers are durable, so the walk is done per resolution.)
   */
  private readonly plans = new WeakMap<ScopedWrapper, readonly ScopedWrapper[]>();
  /**
   * Wrappers whose instances live in a durable context. Nest keys the transient instances made
   * for them by their id, but stores them in the unit's context (a transient belongs to its
   * consumer): they live as long as the durable instance, so the unit must not dispose them.
   */
  private readonly durableIds = new Set<string>();
  private readonly skipInquirer = (inquirerId: string): boolean => this.durableIds.has(inquirerId);
  // Scratch space, reused: walks are synchronous, so never re-entered.
  private readonly visited = new Set<ScopedWrapper>();
  private readonly order: ScopedWrapper[] = [];

  constructor(private readonly moduleRef: ModuleRef) {}

  /**
   * Hands `sink` every constructed instance that the resolution of `token` in `contextId`
   * reaches, in creation order. Instances already handed over are handed again; the sink dedupes.
   * `resolved`: whether that resolution succeeded (then what is learnt may be cached).
   */
  collect(token: InjectionToken, contextId: ContextId, sink: InstanceSink, resolved: boolean): void {
    const root = findWrapper(this.moduleRef, token);
    if (!root) return;
    const wrappers = contextId.getParent ? this.walkFrom(root, contextId, resolved) : this.planOf(root, resolved);
    const track = (instance: unknown): void => sink.track(instance);
    for (const wrapper of wrappers) {
      forEachInstanceIn(wrapper, contextId, this.skipInquirer, track);
    }
  }

  private planOf(root: ScopedWrapper, cache: boolean): readonly ScopedWrapper[] {
    let plan = this.plans.get(root);
    if (!plan) {
      plan = this.walkFrom(root, undefined, cache);
      if (cache) this.plans.set(root, plan);
    }
    return plan;
  }

  /** The wrappers reachable from `root`, each dependency before its dependents. */
  private walkFrom(root: ScopedWrapper, contextId: ContextId | undefined, cache: boolean): ScopedWrapper[] {
    try {
      this.walk(root, contextId, cache);
      return [...this.order];
    } finally {
      this.visited.clear();
      this.order.length = 0;
    }
  }

  /** Depth-first, post-order: Nest constructs every dependency before its dependent. */
  private walk(wrapper: ScopedWrapper, contextId: ContextId | undefined, cache: boolean): void {
    if (this.visited.has(wrapper)) return; // shared dependency, or a forwardRef cycle
    this.visited.add(wrapper);
    // A singleton and everything below it belong to the application, not to the unit.
    if (!wrapper.isTransient && wrapper.isDependencyTreeStatic()) return;
    // A durable instance (and what it holds) is shared by every unit of its durable tree.
    if (contextId && isHostedElsewhere(wrapper, contextId)) {
      this.durableIds.add(wrapper.id);
      return;
    }
    for (const dependency of this.dependenciesOf(wrapper, cache)) {
      this.walk(dependency, contextId, cache);
    }
    this.order.push(wrapper);
  }

  private dependenciesOf(wrapper: ScopedWrapper, cache: boolean): readonly ScopedWrapper[] {
    let dependencies = this.dependencies.get(wrapper);
    if (!dependencies) {
      dependencies = scopedDependencies(wrapper);
      if (cache) this.dependencies.set(wrapper, dependencies);
    }
    return dependencies;
  }
}
