import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { HostedService, HostedServicesModule, isHostingError } from '../../lib';

@HostedService()
class Idle {
  start(): void {}
  stop(): void {}
}

/** Active timer handles (the keep-alive is an interval). */
function timers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

let app: TestingModule | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function build(keepAlive?: boolean): Promise<TestingModule> {
  @Module({
    imports: [HostedServicesModule.forRoot({ logger: false, ...(keepAlive === undefined ? {} : { keepAlive }) })],
    providers: [Idle],
  })
  class App {}
  return (app = await Test.createTestingModule({ imports: [App] }).compile());
}

describe('keepAlive', () => {
  it('holds the event loop from start until the hosted services stopped (default)', async () => {
    const before = timers();
    const module = await build();
    await module.init();
    expect(timers()).toBe(before + 1);
    await module.close();
    app = undefined;
    expect(timers()).toBe(before);
  });

  it('holds nothing with keepAlive: false', async () => {
    const before = timers();
    const module = await build(false);
    await module.init();
    expect(timers()).toBe(before);
  });

  it('rejects a non-boolean keepAlive, naming it', () => {
    let error: unknown;
    try {
      HostedServicesModule.forRoot({ keepAlive: 'yes' as unknown as boolean });
    } catch (e) {
      error = e;
    }
    expect(isHostingError(error, 'HOSTING_INVALID_OPTION')).toBe(true);
    expect((error as Error).message).toBe("Expected `keepAlive` to be a boolean, got `'yes'` (string)");
  });
});
