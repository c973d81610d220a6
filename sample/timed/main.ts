import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { runHost } from '../../lib';
import { AppModule } from './app.module';

// The .NET TimedHostedService sample: a timed background service with an execution count whose
// runs never overlap. Every 5 s by default; `PERIOD_MS=1000` for a quick demo (the 2 s work then
// outlasts the period), `SCHEDULE=fixedRate` to keep a fixed grid. Ctrl+C (or SIGTERM) aborts
// the run in flight and waits for it, within shutdownTimeout; a second Ctrl+C forces the exit.
async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(AppModule);
  await runHost(app); // owns Ctrl+C / SIGTERM, closes the app, and ends the process with its exit code
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
