/**
 * The unit-of-work object a {@link ServiceScopeFactory} creates when `createScope()` is called
 * without one. It is what request-scoped providers receive when they inject `REQUEST`, and what
 * a `ContextIdStrategy` receives in `attach(contextId, request)`.
 * @publicApi
 */
export interface UnitOfWork {
  /** Process-wide unique id, in creation order: `'1'`, `'2'`, … Handy as a log field. */
  readonly id: string;
  /** Free text saying what the unit is doing; set it while the unit runs, for diagnostics. */
  label?: string;
}

let lastUnitOfWorkId = 0;

/**
 * Creates a default {@link UnitOfWork}. A counter, not a UUID: it is unique within the process,
 * costs nothing on the hot path and reads well in logs.
 * @internal
 */
export function createUnitOfWork(): UnitOfWork {
  return { id: String(++lastUnitOfWorkId) };
}
