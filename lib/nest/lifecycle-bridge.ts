import { hookedInstances, ModuleLike } from './nest-internals';

type Hook = (...args: unknown[]) => unknown;
const TEARDOWN_HOOKS = ['onModuleDestroy', 'beforeApplicationShutdown', 'onApplicationShutdown'] as const;

/**
 * Puts the host's start and stop where Nest's hook order needs them.
 *
 * Nest runs a global module's hooks first at bootstrap and last at teardown, and runs every
 * module's `onModuleDestroy` before any `beforeApplicationShutdown`. So from its own hooks the host
 * would start services before their dependencies bootstrapped, and stop them after those
 * dependencies had released their resources. Instead:
 * - the start runs from the root module's `onApplicationBootstrap`, the very last bootstrap hook
 *   Nest calls (the root module has the smallest distance, and a module class comes after its
 *   providers);
 * - every other instance's teardown hooks first await the hosted services' stop, so whichever hook
 *   Nest calls first triggers the stop, and nothing is torn down under a running service.
 * The wrappers are own properties of the instances, removed by {@link LifecycleBridge.restore}.
 * @internal
 */
export class LifecycleBridge {
  #restores: Array<() => void> = [];

  /** Runs `start` after the root module's own bootstrap hook. False if there is no root module. */
  startAfterBootstrap(modules: Iterable<ModuleLike>, start: () => Promise<void>): boolean {
    const root = rootModule(modules);
    const instance = root?.providers.get(root.metatype)?.instance;
    if (typeof instance !== 'object' || instance === null) return false;
    this.#wrap(instance, 'onApplicationBootstrap', (original, args) => async () => {
      await original?.apply(instance, args);
      await start();
    });
    return true;
  }

  /** Makes every teardown hook in the application (except `exclude`'s) await `stop` first. */
  guardTeardown(modules: Iterable<ModuleLike>, exclude: object, stop: () => Promise<void>): void {
    const seen = new Set<object>([exclude]);
    for (const moduleRef of modules) {
      for (const instance of hookedInstances(moduleRef)) {
        if (seen.has(instance)) continue;
        seen.add(instance);
        for (const hook of TEARDOWN_HOOKS) {
          if (typeof (instance as Record<string, unknown>)[hook] !== 'function') continue;
          this.#wrap(instance, hook, (original, args) => async () => {
            await stop();
            return original?.apply(instance, args);
          });
        }
      }
    }
  }

  /** Removes every wrapper, leaving the instances as they were. */
  restore(): void {
    for (const restore of this.#restores.reverse()) restore();
    this.#restores = [];
  }

  #wrap(instance: object, hook: string, make: (original: Hook | undefined, args: unknown[]) => () => Promise<unknown>): void {
    const target = instance as Record<string, unknown>;
    const had = Object.prototype.hasOwnProperty.call(target, hook);
    const original = target[hook] as Hook | undefined;
    const wrapper = function (this: unknown, ...args: unknown[]): Promise<unknown> {
      return make(original, args)();
    };
    Object.defineProperty(target, hook, { value: wrapper, configurable: true, writable: true, enumerable: false });
    this.#restores.push(() => {
      if (target[hook] !== wrapper) return; // replaced since: not ours to undo
      if (had) target[hook] = original;
      else delete target[hook];
    });
  }
}

/** The module Nest treats as the root: non-global with the smallest distance, first inserted. */
function rootModule(modules: Iterable<ModuleLike>): ModuleLike | undefined {
  let root: ModuleLike | undefined;
  for (const m of modules) if (!m.isGlobal && (!root || m.distance < root.distance)) root = m;
  return root;
}
