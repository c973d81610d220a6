import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { runHost } from '../../lib';
import { AppModule } from './app.module';

// The .NET ConsumeScopedServiceHostedService sample: a hosted service that resolves a
// request-scoped service in a new scope per unit of work (every 5 s, or `PERIOD_MS`). The output
// shows one instance per unit, disposed at the end of it. Ctrl+C (or SIGTERM) aborts the unit in
// flight, disposes its scope and stops within shutdownTimeout.
async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(AppModule);
  await runHost(app); // owns Ctrl+C / SIGTERM, closes the app, and ends the process with its exit code
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
