import { describe, expect, it } from '@jest/globals';
import * as common from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';

import { HostApplicationLifetime, HostedService, HostedServicesModule } from '../../lib';
import { useApps } from './support/e2e';

declare const __NEST_MAJOR__: string | undefined;

@Injectable()
class Repository {}

const TOKEN = 'TOKEN';

@HostedService()
class Consumer {
  constructor(
    readonly repository: Repository,
    readonly lifetime: HostApplicationLifetime,
    @Inject(TOKEN) readonly token: string,
  ) {}
  start(): void {}
  stop(): void {}
}

describe('the runtime under test', () => {
  const apps = useApps();

  // If the swc config lost `decoratorMetadata` (or an injected class were imported with
  // `import type`), every DI test would fail with an unhelpful message: this one says why.
  it('emits design:paramtypes for hosted services (swc decoratorMetadata is on)', () => {
    expect(Reflect.getMetadata('design:paramtypes', Consumer)).toEqual([Repository, HostApplicationLifetime, String]);
  });

  it('injects a hosted service’s constructor dependencies', async () => {
    const app = await apps.compile({
      imports: [HostedServicesModule.forRoot({ logger: false })],
      providers: [Consumer, Repository, { provide: TOKEN, useValue: 'value' }],
    });
    const consumer = app.get(Consumer);
    expect(consumer.repository).toBe(app.get(Repository));
    expect(consumer.lifetime).toBe(app.get(HostApplicationLifetime));
    expect(consumer.token).toBe('value');
  });

  it('is the NestJS major the jest config asked for', () => {
    // StandardSchemaValidationPipe is new in Nest 12. jest.config.js sets __NEST_MAJOR__ '12',
    // jest.nest11.config.js sets '11' (and maps @nestjs/* to compat/nest11).
    const loaded = 'StandardSchemaValidationPipe' in common ? '12' : '11';
    expect(typeof __NEST_MAJOR__).toBe('string');
    expect(loaded).toBe(__NEST_MAJOR__);
    // @nestjs/core and @nestjs/testing come from the same install as @nestjs/common.
    const core = require.resolve('@nestjs/core');
    const testing = require.resolve('@nestjs/testing');
    const commonPath = require.resolve('@nestjs/common');
    const root = (p: string): string => p.slice(0, p.indexOf('/@nestjs/'));
    expect(root(core)).toBe(root(commonPath));
    expect(root(testing)).toBe(root(commonPath));
  });
});
