import { hookedInstances, ModuleLike, modulesInHookOrder } from './nest-internals';

type Hook = (...args: unknown[]) => unknown;
const TEARDOWN_HOOKS = ['onModuleDestroy', 'beforeApplicationShutdown', 'onApplicationShutdown'] as const;

/**
 * Puts the host's start and stop where Nest's hook order needs them.
 *
 * Nest runs a global module's hooks first at bootstrap and last at teardown, and runs every
 * module's `onModuleDestroy` before any `beforeApplicationShutdown`. So from its own hooks the host
 * would start services before their dependencies bootstrapped, and stop them after those
 * dependencies had released their resources. Instead:
 * - the start runs from the `onApplicationBootstrap` of the module class Nest calls last (the
 *   last module in Nest's own hook order, which is the root module unless the root is `@Global()`:
 *   then a global root bootstraps first, and its imports after it; a module class comes after its
 *   providers);
 * - every other instance's teardown hooks first await the hosted services' stop, so whichever hook
 *   Nest calls first triggers the stop, and nothing is torn down under a running service.
 * The wrappers are own properties of the instances, removed by {@link LifecycleBridge.restore}.
 * @internal
 */
export class LifecycleBridge {
  #restores: Array<() => void> = [];

  /** Runs `start` after the last bootstrap hook Nest calls. False if that hook cannot be wrapped. */
  startAfterBootstrap(modules: Iterable<ModuleLike>, start: () => Promise<void>): boolean {
    const last = modulesInHookOrder(modules).at(-1);
    const instance = last?.providers.get(last.metatype)?.instance;
    if (typeof instance !== 'object' || instance === null) return false;
    return this.#wrap(instance, 'onApplicationBootstrap', (original, args) => async () => {
      await original?.apply(instance, args);
      await start();
    });
  }

  /**
   * Makes every teardown hook in the application (except `exclude`'s) await `stop` first. Returns
   * the names of the instances that cannot be wrapped (frozen or sealed), whose hooks stay as they are.
   */
  guardTeardown(modules: Iterable<ModuleLike>, exclude: object, stop: () => Promise<void>): string[] {
    const seen = new Set<object>([exclude]);
    const frozen = new Set<string>();
    for (const moduleRef of modules) {
      for (const { instance, name } of hookedInstances(moduleRef)) {
        if (seen.has(instance)) continue;
        seen.add(instance);
        for (const hook of TEARDOWN_HOOKS) {
          if (typeof (instance as Record<string, unknown>)[hook] !== 'function') continue;
          const wrapped = this.#wrap(instance, hook, (original, args) => async () => {
            await stop();
            return original?.apply(instance, args);
          });
          if (!wrapped) frozen.add(name);
        }
      }
    }
    return [...frozen];
  }

  /** Removes every wrapper, leaving the instances as they were. */
  restore(): void {
    for (const restore of this.#restores.reverse()) restore();
    this.#restores = [];
  }

  /** Installs the wrapper as an own property; false if the instance does not allow it (frozen, sealed). */
  #wrap(
    instance: object,
    hook: string,
    make: (original: Hook | undefined, args: unknown[]) => () => Promise<unknown>,
  ): boolean {
    const target = instance as Record<string, unknown>;
    const own = Object.getOwnPropertyDescriptor(target, hook);
    if (own ? !own.configurable : !Object.isExtensible(target)) return false;
    const original = target[hook] as Hook | undefined;
    const wrapper = function (this: unknown, ...args: unknown[]): Promise<unknown> {
      return make(original, args)();
    };
    Object.defineProperty(target, hook, { value: wrapper, configurable: true, writable: true, enumerable: false });
    this.#restores.push(() => {
      if (target[hook] !== wrapper) return; // replaced since: not ours to undo
      if (own) Object.defineProperty(target, hook, own);
      else delete target[hook];
    });
    return true;
  }
}
