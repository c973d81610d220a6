import { HostedServicesError } from '../errors/hosted-services.error';

/**
 * One error is returned as it is; several become a {@link HostedServicesError}.
 * @internal
 */
export function combineErrors(
  errors: readonly unknown[],
  code: 'HOSTING_START_FAILED' | 'HOSTING_STOP_FAILED',
  message: string,
): unknown {
  return errors.length === 1 ? errors[0] : new HostedServicesError(code, errors, message);
}

/**
 * `Name: message` for an Error; anything else thrown says so, so a thrown string is not mistaken
 * for a message.
 * @internal
 */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : `non-Error value thrown: ${String(error)}`;
}

/**
 * Formats anything thrown (including non-Error values) for a log line, with the stack if any.
 * @internal
 */
export function errorStack(error: unknown): string | undefined {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
