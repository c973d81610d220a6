/**
 * The few members of Nest's `Module` and `InstanceWrapper` the host reads, typed structurally so no
 * deep import of `@nestjs/core/injector/*` is needed (Nest 12's exports map does not promise those
 * paths). All of them exist, with these meanings, in Nest 11 and 12.
 * @internal
 */
export interface WrapperLike {
  readonly name: unknown;
  readonly metatype: unknown;
  readonly instance: unknown;
  readonly isTransient: boolean;
  /** A `useExisting` alias: same instance as the provider it points at, which has its own wrapper. */
  readonly isAlias: boolean;
  isDependencyTreeStatic(): boolean;
  getStaticTransientInstances(): Array<{ instance: unknown } | undefined>;
  getCtorMetadata(): Array<WrapperLike | undefined> | undefined;
  getPropertiesMetadata(): Array<{ wrapper: WrapperLike } | undefined> | undefined;
}

/** @internal */
export interface ModuleLike {
  readonly name: string;
  readonly distance: number;
  readonly isGlobal: boolean;
  readonly metatype: unknown;
  readonly providers: Map<unknown, WrapperLike>;
  readonly controllers: Map<unknown, WrapperLike>;
  readonly injectables: Map<unknown, WrapperLike>;
}

/**
 * Modules in the order Nest runs their init and bootstrap hooks: global modules first, then the
 * deepest imports, the root module last (by `distance`, descending; ties keep insertion order).
 * Teardown hooks run in the reverse order.
 * @internal
 */
export function modulesInHookOrder(modules: Iterable<ModuleLike>): ModuleLike[] {
  return [...modules].sort((a, b) => b.distance - a.distance);
}

/**
 * Every live, static instance Nest would call a lifecycle hook on: providers (including the module
 * class itself), controllers and injectables, and the static instances of transient providers.
 * @internal
 */
export function* hookedInstances(moduleRef: ModuleLike): Generator<object> {
  for (const collection of [moduleRef.providers, moduleRef.controllers, moduleRef.injectables]) {
    for (const wrapper of collection.values()) {
      if (!wrapper.isDependencyTreeStatic()) continue;
      if (wrapper.isTransient) {
        for (const t of wrapper.getStaticTransientInstances()) if (isObject(t?.instance)) yield t.instance;
      } else if (isObject(wrapper.instance)) {
        yield wrapper.instance;
      }
    }
  }
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
