import { Abstract, InjectionToken, Type } from '@nestjs/common';
import { ContextId, ModuleRef } from '@nestjs/core';

import { disposeInReverse, isDisposable } from './dispose-instances';
import { asyncDisposeSymbol } from './dispose-symbols';
import { ScopeDisposalError } from './scope-disposal.error';
import { ScopeDisposedError } from './scope-disposed.error';
import { InstanceSink, ScopedInstanceCollector } from './scoped-instance-collector';
import { ServiceScope } from './service-scope.interface';

// Both keys given: Nest 12 spreads the options into defaults, and V8 takes a much slower path
// (about 1 µs per resolve, measured) when the spread object lacks `each`.
const RESOLVE_OPTIONS = { each: false, strict: false } as const;
const noop = (): void => undefined;
const SETTLED = Promise.resolve();

/**
 * The {@link ServiceScope} a {@link ServiceScopeFactory} hands out. Cheap to create: it holds
 * a context id and allocates its tracking set only once a disposable instance turns up.
 * @internal
 */
export class UnitOfWorkScope<U extends object> implements ServiceScope<U>, InstanceSink {
  /** Disposable instances created for the unit; a Set keeps creation order and dedupes. */
  private disposables: Set<object> | undefined;
  private disposal: Promise<void> | undefined;
  private pendingResolves = 0;
  private resolvesSettled: (() => void) | undefined;
  /** Tokens whose resolution failed: looked at again on disposal (see `settle`). */
  private failedTokens: InjectionToken[] | undefined;

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly collector: ScopedInstanceCollector,
    readonly contextId: ContextId,
    readonly unitOfWork: U,
  ) {}

  async resolve<T = unknown>(typeOrToken: Type<T> | Abstract<T> | string | symbol): Promise<T> {
    if (this.disposal) throw new ScopeDisposedError(typeOrToken, this.unitOfWork);
    this.pendingResolves++;
    let resolved = false;
    try {
      const instance = await this.moduleRef.resolve<T>(typeOrToken, this.contextId, RESOLVE_OPTIONS);
      resolved = true;
      return instance;
    } finally {
      this.settle(typeOrToken, resolved);
    }
  }

  /** @internal Called by the collector for each instance created in this scope. */
  track(instance: unknown): void {
    if (isDisposable(instance)) (this.disposables ??= new Set()).add(instance);
  }

  dispose(): Promise<void> {
    if (this.disposal) return this.disposal.then(noop, noop);
    // The common case on the hot path, a unit with nothing to dispose, skips the async machinery.
    const idle = this.pendingResolves === 0 && !this.disposables && !this.failedTokens;
    this.disposal = idle ? SETTLED : this.disposeOnce();
    return this.disposal;
  }

  [asyncDisposeSymbol](): Promise<void> {
    return this.dispose();
  }

  /** Tracks what a resolution created, failed or not: either way it belongs to the unit. */
  private settle(token: InjectionToken, resolved: boolean): void {
    try {
      // When one branch of a resolution fails, Nest rejects at once but keeps building the
      // other branches; what they create after this point is picked up on disposal.
      if (!resolved) (this.failedTokens ??= []).push(token);
      this.collector.collect(token, this.contextId, this, resolved);
    } finally {
      // Whatever happens, a waiting disposal must not hang.
      if (--this.pendingResolves === 0) this.resolvesSettled?.();
    }
  }

  private async disposeOnce(): Promise<void> {
    if (this.pendingResolves > 0) {
      await new Promise<void>((resolve) => (this.resolvesSettled = resolve));
    }
    for (const token of this.failedTokens ?? []) {
      this.collector.collect(token, this.contextId, this, false);
    }
    const instances = this.disposables;
    this.disposables = undefined; // release them: the scope may outlive its unit
    if (!instances) return;
    const failures = await disposeInReverse([...instances]);
    if (failures.errors.length === 1) throw failures.errors[0];
    if (failures.errors.length > 1) {
      throw new ScopeDisposalError(failures.errors, failures.instances, this.unitOfWork);
    }
  }
}
