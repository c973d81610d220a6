// An ES module app consuming the packed (CommonJS) package through named imports.
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HostedServicesModule, HostedService, BackgroundService, HostApplicationLifetime } from 'nestjs-hosting';

const log = [];
class First {
  start() {
    log.push('start:First');
  }
  stop() {
    log.push('stop:First');
  }
}
HostedService()(First);
class Second extends BackgroundService {
  async execute(stopping) {
    log.push('execute:Second');
    if (!stopping.aborted) await new Promise((r) => stopping.addEventListener('abort', r, { once: true }));
  }
}
HostedService()(Second);
class AppModule {}
Module({ imports: [HostedServicesModule.forRoot({ logger: false })], providers: [First, Second] })(AppModule);

const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
const lifetime = app.get(HostApplicationLifetime); // one class identity: ESM import and the CJS package agree
await new Promise((r) => setImmediate(r));
await app.close();
if (log.join() !== 'start:First,execute:Second,stop:First' || !lifetime.hasFired('stopped')) {
  console.error(`esm consumer: got ${log.join()}`);
  process.exit(1);
}
const version = createRequire(import.meta.url)('@nestjs/core/package.json').version;
console.log(`smoke ok: esm consumer, Nest ${version}`);
