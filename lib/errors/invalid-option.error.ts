import { describeValue } from '../utils/describe-value';
import { brandHostingError, HostingErrorCode } from './hosting-error';

/**
 * Thrown when an option or argument has a bad value. It is a `TypeError` (as validation errors are
 * in Node) that also carries the code `HOSTING_INVALID_OPTION`, so {@link isHostingError} matches it.
 * The message names the option, what was expected and the offending value.
 * @publicApi
 * @example Expected `shutdownTimeout` to be a finite number >= 0, got `-5` (number)
 */
export class InvalidOptionError extends TypeError {
  /** Stable machine-readable code. */
  readonly code: HostingErrorCode = 'HOSTING_INVALID_OPTION';
  /** The option or argument name, e.g. `shutdownTimeout`. */
  readonly option: string;
  /** The offending value, as given. */
  readonly value: unknown;

  constructor(option: string, expected: string, value: unknown) {
    super(`Expected \`${option}\` to be ${expected}, got ${describeValue(value)}`);
    this.name = 'InvalidOptionError';
    this.option = option;
    this.value = value;
    brandHostingError(this);
  }
}
