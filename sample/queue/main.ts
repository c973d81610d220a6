import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { runHost } from '../../lib';
import { AppModule } from './app.module';

// The .NET QueuedHostedService sample: a bounded background queue, a consumer running items one at
// a time, and a monitor that queues items when you press `w`. Ctrl+C drains the queue within the
// shutdown budget and hands back what cannot run.
async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(AppModule);
  await runHost(app); // owns Ctrl+C / SIGTERM, closes the app, and ends the process with its exit code
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
