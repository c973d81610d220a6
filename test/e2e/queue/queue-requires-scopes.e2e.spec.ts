import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { BackgroundTaskQueueModule, isHostingError } from '../../../lib';

describe('scopePerItem without a scope factory', () => {
  it('fails at compile() with InvalidOptionError naming scopePerItem, instead of running items unscoped', async () => {
    const compiled = Test.createTestingModule({ imports: [BackgroundTaskQueueModule.register({ scopePerItem: true })] }).compile();
    const error = await compiled.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isHostingError(error, 'HOSTING_INVALID_OPTION')).toBe(true);
    expect((error as { option?: string }).option).toBe('scopePerItem');
  });

  it('is fine without it when scopePerItem is off', async () => {
    const app = await Test.createTestingModule({ imports: [BackgroundTaskQueueModule.register({})] }).compile();
    await app.close();
  });
});
