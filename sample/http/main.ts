import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { runHost } from '../../lib';
import { AppModule } from './app.module';

// An HTTP app with background work: POST /orders answers 202 at once and a queue persists the
// order in the background; GET /orders/:id tells where it is. On SIGTERM (or Ctrl+C) the queue
// refuses new orders at once (503 + Retry-After) while the server goes on answering; the queue
// drains within shutdownTimeout and hands back what it cannot run; then Nest closes the server and
// the process ends. A second signal forces the exit, handing back what is left.
async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  await app.listen(Number(process.env.PORT ?? 3000)); // PORT=0: any free port, logged below
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  new Logger('Http').log(`Listening on http://localhost:${port}`);
  await runHost(app); // owns SIGINT / SIGTERM (no enableShutdownHooks()), closes the app, ends the process
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
