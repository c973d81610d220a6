// A CommonJS app consuming the packed package: start, a second of work, stop in reverse.
require('reflect-metadata');
const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const {
  HostedServicesModule,
  HostedService,
  BackgroundService,
  HostApplicationLifetime,
  isHostingError,
} = require('nestjs-hosting');

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

(async () => {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  const lifetime = app.get(HostApplicationLifetime);
  await new Promise((r) => setImmediate(r));
  await app.close();
  const expected = 'start:First,execute:Second,stop:First';
  if (log.join() !== expected || !lifetime.hasFired('stopped')) throw new Error(`cjs consumer: got ${log.join()}`);
  let typed = false;
  try {
    HostedServicesModule.forRoot({ shutdownTimeout: -1 });
  } catch (e) {
    typed = isHostingError(e, 'HOSTING_INVALID_OPTION') && e instanceof TypeError;
  }
  if (!typed) throw new Error('cjs consumer: option validation did not throw a typed TypeError');
  console.log(`smoke ok: cjs consumer, Nest ${require('@nestjs/core/package.json').version}`);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
