import { MisconfigurationError } from '../errors/misconfiguration.error';
import { Messages } from '../hosting.messages';
import { ModuleLike } from './nest-internals';

/**
 * Refuses an application that imports `HostedServicesModule.forRoot*()` more than once (Nest keeps
 * each dynamic import as a module of its own, even with equal options): each copy would start and
 * stop every hosted service, and a provider would get the lifetime of one copy or the other.
 * Throws {@link MisconfigurationError} naming the modules that import it.
 * @internal
 */
export function assertSingleHostModule(modules: Iterable<ModuleLike>): void {
  const all = [...modules];
  const hosts = all.filter((m) => isHostModule(m.metatype));
  if (hosts.length <= 1) return;
  // Not `moduleRef.imports`: Nest links a global module into every module's imports.
  const importers = all
    .filter((m) => !isHostModule(m.metatype) && declaredImports(m.metatype).some((i) => isHostModule(i)))
    .map((m) => m.name);
  throw new MisconfigurationError(
    Messages.duplicateHostModule(
      hosts.length,
      importers.length > 0 ? `by ${importers.join(', ')}` : 'by several modules',
    ),
  );
}

/** The `imports` a module class declares in `@Module()`, as module classes. */
function declaredImports(metatype: unknown): unknown[] {
  const imports =
    (typeof metatype === 'function'
      ? (Reflect.getMetadata('imports', metatype) as unknown[] | undefined)
      : undefined) ?? [];
  return imports.map((i) => (typeof i === 'object' && i !== null && 'module' in i ? i.module : i));
}

/** By name, not identity: two copies of the package in one app are as much a duplicate. */
function isHostModule(metatype: unknown): boolean {
  return typeof metatype === 'function' && metatype.name === 'HostedServicesModule';
}
