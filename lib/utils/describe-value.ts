import { inspect } from 'node:util';

/**
 * Renders a value for an error message: `\`-5\` (number)`, `\`"abc"\` (string)`.
 * @internal
 */
export function describeValue(value: unknown): string {
  const shown = inspect(value, { depth: 1, breakLength: Infinity, maxStringLength: 80 });
  return `\`${shown}\` (${value === null ? 'null' : typeof value})`;
}
