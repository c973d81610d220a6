import { InvalidHostedServiceError } from '../errors/invalid-hosted-service.error';
import { HOSTED_SERVICE_METADATA, HOSTED_SERVICE_NAME } from '../hosting.constants';
import { Messages } from '../hosting.messages';
import { HostedLifecycleService } from '../interfaces/hosted-service.interface';
import { HostedServiceEntry } from '../lifecycle/host';
import { ModuleLike, modulesInHookOrder, WrapperLike } from './nest-internals';

interface Found {
  readonly wrapper: WrapperLike;
  readonly className: string;
  readonly moduleName: string;
  readonly order: number;
}

/**
 * Finds every `@HostedService()` provider and returns them in start order:
 * 1. `order` ascending (default 0);
 * 2. then after every hosted service it depends on, directly or through other providers;
 * 3. then Nest's module order (global modules, deepest imports, root last) and declaration order.
 * Throws {@link InvalidHostedServiceError} for a class without start/stop or a non-singleton.
 * @internal
 */
export function discoverHostedServices(modules: Iterable<ModuleLike>): HostedServiceEntry[] {
  const found = collect(modules);
  const sorted = dependencyOrder(found).map((f, index) => ({ f, index }));
  sorted.sort((a, b) => a.f.order - b.f.order || a.index - b.index);
  const ambiguous = duplicates(found.map((f) => f.className));
  return sorted.map(({ f }) => ({
    name: ambiguous.has(f.className) ? `${f.className} (${f.moduleName})` : f.className,
    instance: f.wrapper.instance as HostedLifecycleService,
  }));
}

function collect(modules: Iterable<ModuleLike>): Found[] {
  const found: Found[] = [];
  const seen = new Set<unknown>();
  for (const moduleRef of modulesInHookOrder(modules)) {
    for (const wrapper of moduleRef.providers.values()) {
      // An alias (useExisting) is not a service of its own; the wrapper it points at is the one
      // others depend on (and name it), wherever it is declared.
      if (wrapper.isAlias) continue;
      const metadata = hostedMetadata(wrapper);
      if (!metadata) continue;
      const className = nameOf(wrapper);
      if (wrapper.isTransient || !wrapper.isDependencyTreeStatic()) {
        throw new InvalidHostedServiceError(className, Messages.scopedHostedService(className));
      }
      if (seen.has(wrapper.instance)) continue;
      seen.add(wrapper.instance);
      for (const method of ['start', 'stop'] as const) {
        if (typeof (wrapper.instance as Record<string, unknown>)[method] !== 'function') {
          throw new InvalidHostedServiceError(className, Messages.notHostedService(className, method));
        }
      }
      found.push({ wrapper, className, moduleName: moduleRef.name, order: metadata.order });
    }
  }
  return found;
}

/** Stable topological order: each service after the hosted services it (transitively) depends on. */
function dependencyOrder(found: readonly Found[]): Found[] {
  const byWrapper = new Map(found.map((f) => [f.wrapper, f]));
  const out: Found[] = [];
  const placed = new Set<Found>();
  const visit = (f: Found, path: Set<Found>): void => {
    if (placed.has(f) || path.has(f)) return; // a cycle (forwardRef) falls back to module order
    path.add(f);
    for (const dep of hostedDependencies(f.wrapper, byWrapper)) visit(dep, path);
    placed.add(f);
    out.push(f);
  };
  for (const f of found) visit(f, new Set());
  return out;
}

function hostedDependencies(root: WrapperLike, hosted: Map<WrapperLike, Found>): Found[] {
  const result: Found[] = [];
  const seen = new Set<WrapperLike>([root]);
  const stack = [...directDependencies(root)];
  while (stack.length > 0) {
    const wrapper = stack.pop()!;
    if (seen.has(wrapper)) continue;
    seen.add(wrapper);
    const f = hosted.get(wrapper);
    // Stop at a hosted dependency: its own dependencies are ordered when it is visited.
    if (f) result.push(f);
    else stack.push(...directDependencies(wrapper));
  }
  return result;
}

function directDependencies(wrapper: WrapperLike): WrapperLike[] {
  const ctor = wrapper.getCtorMetadata() ?? [];
  const props = (wrapper.getPropertiesMetadata() ?? []).map((p) => p?.wrapper);
  return [...ctor, ...props].filter((w): w is WrapperLike => w !== undefined && w !== null);
}

function hostedMetadata(wrapper: WrapperLike): { order: number } | undefined {
  const candidates = [wrapper.metatype, (wrapper.instance as { constructor?: unknown } | null)?.constructor];
  for (const target of candidates) {
    if (typeof target !== 'function') continue;
    const metadata = Reflect.getMetadata(HOSTED_SERVICE_METADATA, target) as { order: number } | undefined;
    if (metadata) return metadata;
  }
  return undefined;
}

function nameOf(wrapper: WrapperLike): string {
  const own = (wrapper.instance as Record<symbol, unknown> | null)?.[HOSTED_SERVICE_NAME];
  if (typeof own === 'string' && own) return own;
  const ctor = (wrapper.instance as { constructor?: { name?: string } } | null)?.constructor;
  return typeof wrapper.name === 'string' && wrapper.name ? wrapper.name : (ctor?.name ?? 'anonymous');
}

function duplicates(names: readonly string[]): Set<string> {
  const seen = new Set<string>();
  return new Set(names.filter((n) => seen.has(n) || !seen.add(n)));
}
