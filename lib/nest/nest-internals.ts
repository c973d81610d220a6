import { InjectionToken } from '@nestjs/common';
import { ContextId } from '@nestjs/core';

// The one description of the Nest internals the library reads: the members of `Module` and
// `InstanceWrapper` (typed structurally, so no deep import of `@nestjs/core/injector/*` is needed:
// Nest 12's exports map does not promise those paths), and the functions that touch Nest objects
// beyond its public API. Each member below exists, with this meaning, in @nestjs/core 11.2 and
// 12.5; the e2e and scope suites run on both majors to catch a drift.

/** One provider instance in one context: Nest's `InstancePerContext`. @internal */
export interface InstanceHost {
  instance: unknown;
  isResolved?: boolean;
}

/**
 * The members of Nest's `InstanceWrapper` the library reads. `values` and `transientMap` are
 * private in the typings; the rest is public API (`DiscoveryService` hands wrappers out).
 * @internal
 */
export interface WrapperLike {
  readonly token: InjectionToken;
  readonly id: string;
  readonly name: unknown;
  readonly metatype: unknown;
  readonly instance: unknown;
  readonly isTransient: boolean;
  /** A `useExisting` alias: same instance as the provider it points at, which has its own wrapper. */
  readonly isAlias: boolean;
  isDependencyTreeStatic(): boolean;
  isDependencyTreeDurable(): boolean;
  getStaticTransientInstances(): Array<{ instance: unknown } | undefined>;
  getCtorMetadata(): Array<WrapperLike | undefined> | undefined;
  getPropertiesMetadata(): Array<{ wrapper: WrapperLike } | undefined> | undefined;
  getEnhancersMetadata(): Array<WrapperLike | undefined> | undefined;
  /** Instance per context id (non-transient providers). */
  readonly values: WeakMap<ContextId, InstanceHost>;
  /** Instance per inquirer id, then per context id (transient providers). */
  readonly transientMap?: Map<string, WeakMap<ContextId, InstanceHost>>;
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

/** The application's modules, as the library reads them. @internal */
export function modulesOf(container: Map<unknown, unknown>): Iterable<ModuleLike> {
  // A cast, not an assignment: `values` is private in Nest's typings of InstanceWrapper.
  return container.values() as Iterable<ModuleLike>;
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
 * class itself), controllers and injectables, and the static instances of transient providers,
 * each with its provider's name (for messages).
 * @internal
 */
export function* hookedInstances(moduleRef: ModuleLike): Generator<{ instance: object; name: string }> {
  for (const collection of [moduleRef.providers, moduleRef.controllers, moduleRef.injectables]) {
    for (const wrapper of collection.values()) {
      if (!wrapper.isDependencyTreeStatic()) continue;
      const name = typeof wrapper.name === 'string' && wrapper.name ? wrapper.name : String(wrapper.name);
      if (wrapper.isTransient) {
        for (const t of wrapper.getStaticTransientInstances())
          if (isObject(t?.instance)) yield { instance: t.instance, name };
      } else if (isObject(wrapper.instance)) {
        yield { instance: wrapper.instance, name };
      }
    }
  }
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/**
 * What `runHost()` needs of a Nest application or application context: `init()` (idempotent in
 * Nest 11 and 12) and `close(signal?)`.
 * @internal
 */
export interface ClosableApplication {
  init(): Promise<unknown>;
  close(signal?: string): Promise<void>;
  get<T = unknown>(token: unknown, options?: { strict?: boolean }): T;
}

/**
 * Turns off Nest's own shutdown-hook listeners (`app.enableShutdownHooks()`) so that one owner
 * handles the signals: two would both close the app (twice on Nest 11, whose `close()` is not
 * idempotent) and race to end the process. `unsubscribeFromProcessSignals()` is a protected method
 * of `NestApplicationContext` in Nest 11 and 12; it removes exactly the listeners that
 * `enableShutdownHooks()` added. Returns the signals Nest listened to (Nest 12 keeps them as the
 * keys of `shutdownCleanupRefs`, Nest 11 in `activeShutdownSignals`), so that the new owner
 * handles every one of them gracefully.
 * @internal
 */
export function releaseNestShutdownHooks(app: object): NodeJS.Signals[] {
  const context = app as {
    unsubscribeFromProcessSignals?: () => void;
    shutdownCleanupRef?: unknown;
    shutdownCleanupRefs?: Map<unknown, unknown>;
    activeShutdownSignals?: unknown[];
  };
  const signals = context.shutdownCleanupRefs
    ? [...context.shutdownCleanupRefs.keys()]
    : context.shutdownCleanupRef !== undefined
      ? [...(context.activeShutdownSignals ?? [])]
      : [];
  if (typeof context.unsubscribeFromProcessSignals === 'function') context.unsubscribeFromProcessSignals();
  // Nest 11 keeps the reference after unsubscribing; drop it so a later check reads "off".
  if (context.shutdownCleanupRef !== undefined) context.shutdownCleanupRef = undefined;
  return signals.map(String).filter((s): s is NodeJS.Signals => /^SIG[A-Z0-9]+$/.test(s));
}

/**
 * The initialization under way (`init()` sets `initializationPromise` in Nest 11 and 12 before
 * its first await), so that a second caller awaits it instead of running the hooks twice: Nest's
 * `init()` only guards against a call after it finished.
 * @internal
 */
export function initialization(app: object): { done: boolean; running?: Promise<unknown> } {
  const context = app as { isInitialized?: boolean; initializationPromise?: Promise<unknown> };
  return { done: context.isInitialized === true, running: context.initializationPromise };
}

/**
 * The instance of `type` provided in any module of the application, without `app.get()` (whose
 * failure Nest's `abortOnError` turns into a process exit before the caller can catch it).
 * @internal
 */
export function findProvider<T>(
  modules: Map<unknown, unknown>,
  type: abstract new (...args: never[]) => T,
): T | undefined {
  for (const moduleRef of modulesOf(modules)) {
    const instance = moduleRef.providers.get(type)?.instance;
    if (instance instanceof type) return instance;
  }
  return undefined;
}

/**
 * Calls `check(provider, moduleName)` for every provider added to a module that is added to the
 * application after now (what `LazyModuleLoader.load()` does: `NestContainer` puts the module in
 * its `ModulesContainer` with `set`, then the scanner calls the module's `addProvider` for each
 * provider; both are the same in Nest 11 and 12). A throwing `check` fails the load before the
 * provider is instantiated. The hooks are own properties, removed by the returned function.
 * @internal
 */
export function onLateProvider(
  modules: Map<unknown, unknown>,
  check: (provider: unknown, moduleName: string) => void,
): () => void {
  const restores: Array<() => void> = [];
  const originalSet = modules.set.bind(modules);
  const set = (key: unknown, moduleRef: unknown): Map<unknown, unknown> => {
    const late = moduleRef as {
      addProvider?: (provider: unknown, ...rest: unknown[]) => unknown;
      name?: string;
    } | null;
    if (late && typeof late.addProvider === 'function' && !Object.prototype.hasOwnProperty.call(late, 'addProvider')) {
      const addProvider = late.addProvider;
      late.addProvider = function (this: unknown, provider: unknown, ...rest: unknown[]): unknown {
        check(provider, String(late.name));
        return addProvider.call(this, provider, ...rest);
      };
      restores.push(() => void delete (late as { addProvider?: unknown }).addProvider);
    }
    return originalSet(key, moduleRef);
  };
  Object.defineProperty(modules, 'set', { value: set, configurable: true, writable: true });
  return () => {
    if (modules.set === set) delete (modules as { set?: unknown }).set;
    for (const restore of restores) restore();
  };
}
