import { MisconfigurationError } from '../errors/misconfiguration.error';
import { Messages } from '../hosting.messages';
import { ModuleLike } from './nest-internals';

/**
 * Refuses an application that imports `HostedServicesModule` more than once with different
 * options (Nest merges identical imports into one module): each copy would start and stop every
 * hosted service. Throws {@link MisconfigurationError} naming the importing modules.
 * @internal
 */
export function assertSingleHostModule(modules: Iterable<ModuleLike>): void {
  const all = [...modules];
  const hosts = all.filter((m) => isHostModule(m.metatype));
  if (hosts.length <= 1) return;
  const importers = all.filter((m) => [...m.imports].some((i) => hosts.includes(i))).map((m) => m.name);
  throw new MisconfigurationError(Messages.duplicateHostModule(hosts.length, `by ${importers.join(', ') || 'several modules'}`));
}

/** By name, not identity: two copies of the package in one app are as much a duplicate. */
function isHostModule(metatype: unknown): boolean {
  return typeof metatype === 'function' && metatype.name === 'HostedServicesModule';
}
