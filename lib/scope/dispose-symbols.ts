/**
 * The well-known disposal symbols, read once, in one place.
 *
 * Node has defined `Symbol.dispose` and `Symbol.asyncDispose` since 20.5 / 18.18, as
 * `Symbol.for('nodejs.dispose')` and `Symbol.for('nodejs.asyncDispose')`, so every supported
 * runtime (`engines: >=20.19`) has them. The fallbacks only matter in an unusual runtime that
 * lacks them: the library then still honours the same registered symbols Node uses, without
 * patching the global `Symbol` (a library must not).
 * @internal
 */
export const asyncDisposeSymbol: typeof Symbol.asyncDispose =
  Symbol.asyncDispose ?? (Symbol.for('nodejs.asyncDispose') as typeof Symbol.asyncDispose);

/**
 * See {@link asyncDisposeSymbol}.
 * @internal
 */
export const disposeSymbol: typeof Symbol.dispose =
  Symbol.dispose ?? (Symbol.for('nodejs.dispose') as typeof Symbol.dispose);
