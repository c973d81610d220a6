import { MisconfigurationError } from '../errors/misconfiguration.error';
import { HOSTED_SERVICE_METADATA } from '../hosting.constants';
import { Messages } from '../hosting.messages';
import { onLateProvider } from './nest-internals';

/**
 * Refuses a `@HostedService()` in a module loaded after startup (`LazyModuleLoader.load()`):
 * Nest calls no lifecycle hook on a lazily loaded module, so the host could never start or stop
 * it, and it would sit there silently. The load rejects with a {@link MisconfigurationError}.
 * Returns a function that stops watching.
 * @internal
 */
export function refuseLateHostedServices(modules: Map<unknown, unknown>): () => void {
  return onLateProvider(modules, (provider, moduleName) => {
    const type = providerClass(provider);
    if (type && Reflect.getMetadata(HOSTED_SERVICE_METADATA, type)) {
      throw new MisconfigurationError(Messages.lazyHostedService(type.name, moduleName));
    }
  });
}

/** The class a provider definition instantiates: the class itself, or `useClass`. */
function providerClass(provider: unknown): (abstract new (...args: never[]) => unknown) | undefined {
  if (typeof provider === 'function') return provider as abstract new (...args: never[]) => unknown;
  const useClass = (provider as { useClass?: unknown } | null)?.useClass;
  return typeof useClass === 'function' ? (useClass as abstract new (...args: never[]) => unknown) : undefined;
}
