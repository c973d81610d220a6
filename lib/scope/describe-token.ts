import { InjectionToken } from '@nestjs/common';

/**
 * Names an injection token in a message: a class or function by its name, a symbol or string
 * as written (`Symbol(CLOCK)`, `"CONFIG"`).
 * @internal
 */
export function describeToken(token: InjectionToken | undefined): string {
  if (typeof token === 'function') return token.name || '<anonymous class>';
  if (typeof token === 'string') return `"${token}"`;
  return String(token);
}
