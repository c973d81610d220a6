import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { runHost } from '../../lib';
import { AppModule } from './app.module';

// A standalone worker: no HTTP server, just hosted services. Ctrl+C (or SIGTERM) stops the
// services gracefully within shutdownTimeout; a second Ctrl+C forces the exit.
async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(AppModule);
  await runHost(app); // owns Ctrl+C / SIGTERM, closes the app, and ends the process with its exit code
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
