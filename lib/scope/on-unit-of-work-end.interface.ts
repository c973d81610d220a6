/**
 * Hook called on a scoped instance when the unit of work whose scope created it ends, i.e. when
 * the {@link ServiceScope} is disposed. Nest never calls `onModuleDestroy` or
 * `onApplicationShutdown` on request-scoped or transient instances (nestjs/nest#2809), so this is
 * the place to flush, commit or release per-unit resources.
 *
 * The scope calls, in reverse creation order, for each instance it created: `onUnitOfWorkEnd()`
 * if present, then `[Symbol.asyncDispose]()` or, failing that, `[Symbol.dispose]()`. Any of
 * the three makes an instance disposable; implementing the standard symbols instead is fine.
 * Singletons and durable instances are never called: they outlive the unit.
 * @publicApi
 * @example
 * // a request-scoped provider
 * export class OrderUnit implements OnUnitOfWorkEnd {
 *   async onUnitOfWorkEnd() { await this.tx.commit(); }
 * }
 */
export interface OnUnitOfWorkEnd {
  /** Called once, when the scope that created this instance is disposed. */
  onUnitOfWorkEnd(): unknown;
}
