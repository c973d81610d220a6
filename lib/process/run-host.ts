import { INestApplicationContext } from '@nestjs/common';

/**
 * Runs a Nest application until it is asked to stop, then closes it and ends the process with the
 * exit code the run deserves (.NET's `host.Run()`). Call it last in `main()`, after
 * `NestFactory.create*()` (and `app.listen()` for an HTTP app).
 * @publicApi
 */
export function runHost(app: INestApplicationContext): Promise<void> {
  void app;
  return Promise.reject(new Error('runHost: not implemented yet'));
}
