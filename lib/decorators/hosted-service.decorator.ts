import { Injectable, ScopeOptions, SetMetadata } from '@nestjs/common';
import { HOSTED_SERVICE_METADATA } from '../hosting.constants';
import { HostedService as HostedServiceContract } from '../interfaces/hosted-service.interface';
import { finiteNumber, keysOf, knownKeys, optionsObject } from '../options/validate';

/** Nest's `SCOPE_OPTIONS_METADATA` key (the same in Nest 11 and 12; not exported from the package root). */
const SCOPE_OPTIONS_METADATA = 'scope:options';

/**
 * Options of {@link HostedService | @HostedService()}.
 * @publicApi
 */
export interface HostedServiceOptions {
  /**
   * Start position relative to other hosted services: lower starts earlier (and stops later).
   * Services with equal `order` keep the default order: after the hosted services they depend on,
   * then Nest's module order, then declaration order.
   * @default 0
   */
  order?: number;
}

const KEYS = keysOf<HostedServiceOptions>({ order: true });

/**
 * The hosted-service contract (`start(signal)` / `stop(signal)`); see the interface docs.
 * Declared here too so that `HostedService` is both the decorator and the interface.
 * @publicApi
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface HostedService extends HostedServiceContract {}

/**
 * Marks a class as a hosted service (and as injectable). The host starts it once the application
 * has bootstrapped and stops it, in reverse order, when the application shuts down. The class must
 * implement `start(signal)` and `stop(signal)` or extend `BackgroundService`, and must be a
 * singleton; both are checked when the application initializes.
 * @publicApi
 * @example
 * @HostedService({ order: -1 })
 * class Migrations implements HostedService { async start() { ... } async stop() {} }
 */
export function HostedService(options: HostedServiceOptions = {}): ClassDecorator {
  const given = optionsObject('HostedService options', options);
  knownKeys(given, KEYS);
  const order = finiteNumber('order', given.order, 0);
  return (target) => {
    // A bare `Injectable()` would replace a scope declared by an `@Injectable({ scope })` applied
    // before this decorator (written below it) or inherited, silently making the service a
    // singleton. Keep it, as Nest's own `mixin()` does, so that init reports the scope instead.
    Injectable(Reflect.getMetadata(SCOPE_OPTIONS_METADATA, target) as ScopeOptions | undefined)(target);
    SetMetadata(HOSTED_SERVICE_METADATA, { order })(target);
  };
}
