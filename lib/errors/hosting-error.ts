/**
 * Every stable error code the library throws. Codes never change once published; match on them
 * (through {@link isHostingError}) rather than on messages or classes.
 * @publicApi
 */
export type HostingErrorCode =
  | 'HOSTING_INVALID_OPTION'
  | 'HOSTING_INVALID_SERVICE'
  | 'HOSTING_INVALID_STATE'
  | 'HOSTING_MISCONFIGURED'
  | 'HOSTING_START_TIMEOUT'
  | 'HOSTING_START_CANCELLED'
  | 'HOSTING_START_FAILED'
  | 'HOSTING_STOP_FAILED'
  | 'HOSTING_BACKGROUND_SERVICE_FAULTED'
  | 'HOSTING_SCOPE_DISPOSED'
  | 'HOSTING_SCOPE_DISPOSAL_FAILED'
  | 'HOSTING_CHANNEL_CLOSED'
  | 'HOSTING_CHANNEL_FULL'
  | 'HOSTING_QUEUE_CLOSED'
  | 'HOSTING_QUEUE_FULL'
  | 'HOSTING_OPERATION_ABORTED';

const BRAND = Symbol.for('nestjs-hosting.error');

/**
 * Base class of every error the library throws. Carries a stable {@link HostingErrorCode} and
 * an ES2022 `cause`.
 * @publicApi
 */
export class HostingError extends Error {
  /** Stable machine-readable code. */
  readonly code: HostingErrorCode;

  constructor(code: HostingErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    brandHostingError(this);
  }
}

/**
 * Marks an error as the library's. A brand survives two copies of the package, where
 * `instanceof` would not; it also lets errors that must extend a built-in (`TypeError`) still be
 * recognised by {@link isHostingError}.
 * @internal
 */
export function brandHostingError(error: Error): void {
  Object.defineProperty(error, BRAND, { value: true });
}

/**
 * Tells whether `value` is an error thrown by this library, optionally with a given code. Works
 * across duplicate copies of the package, unlike `instanceof`.
 * @publicApi
 * @example if (isHostingError(err, 'HOSTING_QUEUE_CLOSED')) persistElsewhere(item);
 */
export function isHostingError(value: unknown, code?: HostingErrorCode): value is HostingError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true &&
    (code === undefined || (value as HostingError).code === code)
  );
}
