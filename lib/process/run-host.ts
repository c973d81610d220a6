import { INestApplicationContext } from '@nestjs/common';
import { InvalidOptionError } from '../errors/invalid-option.error';
import { MisconfigurationError } from '../errors/misconfiguration.error';
import { ModulesContainer } from '@nestjs/core';
import { ClosableApplication, findProvider, initialization } from '../nest/nest-internals';
import { ProcessLifetime } from './process-lifetime';

/**
 * Runs a Nest application until it is asked to stop, then closes it and ends the process with the
 * exit code the run deserves: .NET's `host.Run()`. The way to run an application that has hosted
 * services; call it last in `main()`, after `NestFactory.create*()` (and `app.listen()` for an
 * HTTP app, `app.startAllMicroservices()` for a hybrid one). It initializes the app if nothing has.
 *
 * It handles SIGINT and SIGTERM (taking over from `app.enableShutdownHooks()`, if that was called,
 * before or after `listen()`): the first signal, `lifetime.stopApplication(code)` or a `'stopHost'`
 * fault stops the hosted services in reverse under `shutdownTimeout`, then closes the application
 * (`app.close()`: the HTTP server, every teardown hook), then ends the process: by the signal after
 * a clean signalled stop, otherwise with the README's exit code. A second signal forces the exit.
 * The returned promise settles only if the process outlives the close (it never does on its own):
 * put cleanup in teardown hooks, not after this call.
 * @publicApi
 * @example
 * const app = await NestFactory.create(AppModule);
 * await app.listen(3000);
 * await runHost(app);
 */
export async function runHost(app: INestApplicationContext): Promise<void> {
  const closable = app as unknown as Partial<ClosableApplication> | null;
  if (
    typeof closable?.close !== 'function' ||
    typeof closable.get !== 'function' ||
    typeof closable.init !== 'function'
  ) {
    throw new InvalidOptionError(
      'app',
      'a Nest application or application context (from NestFactory.create*() or a TestingModule)',
      app,
    );
  }
  // Providers exist once the app is created, initialized or not; ModulesContainer always does.
  const lifetime = findProvider(closable.get(ModulesContainer), ProcessLifetime);
  if (!lifetime) {
    throw new MisconfigurationError(
      "runHost(app): the application does not import HostedServicesModule: add HostedServicesModule.forRoot() to the root module's imports",
    );
  }
  // Attached before the start, so that a signal or a stop request during it is the runner's.
  const running = lifetime.run(closable as ClosableApplication);
  await initialize(closable as ClosableApplication);
  return running;
}

/**
 * Initializes the app unless that is done or under way: `void runHost(app); await app.listen()`
 * must not run Nest's init twice (its `init()` is not guarded against a concurrent call). One turn
 * of the event loop first lets a `listen()` called right after begin its own init.
 */
async function initialize(app: ClosableApplication): Promise<void> {
  if (initialization(app).done) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  const state = initialization(app);
  if (state.done) return;
  if (state.running) await state.running;
  else await app.init();
}
