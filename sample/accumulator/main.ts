import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { runHost } from '../../lib';
import { AppModule } from './app.module';

// The accumulator pattern: two producers write readings into a bounded channel; a background
// service persists them in batches, each through its own scoped repository. Ctrl+C stops the
// producers first, then the writer persists what is left: produced = persisted.
async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(AppModule);
  await runHost(app); // owns Ctrl+C / SIGTERM, closes the app, and ends the process with its exit code
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
