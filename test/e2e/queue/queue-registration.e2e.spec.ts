import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';

import {
  BackgroundTaskQueueModule,
  DuplicateQueueError,
  HostedServicesModule,
  isHostingError,
  QueueNotHostedError,
  TaskQueueOptions,
} from '../../../lib';
import { settled } from '../support/e2e';
import { useQueueApps } from './queue.e2e-fixtures';

/** What compiling an application with these imports rejects with (undefined if it compiles). */
async function compileError(
  imports: NonNullable<Parameters<typeof Test.createTestingModule>[0]['imports']>,
): Promise<unknown> {
  const result = await settled(Test.createTestingModule({ imports }).compile());
  if (result.ok) await result.value.close();
  return result.ok ? undefined : result.error;
}

describe('a queue without HostedServicesModule', () => {
  it.each<[string, TaskQueueOptions]>([
    ['the default queue', {}],
    ['a named queue', { name: 'emails' }],
    ['a queue with scopePerItem', { name: 'scoped', scopePerItem: true }],
  ])('fails at startup for %s, with QueueNotHostedError naming it and saying what to import', async (_, options) => {
    const error = await compileError([BackgroundTaskQueueModule.register(options)]);
    const name = options.name ?? 'default';
    expect(error).toBeInstanceOf(QueueNotHostedError);
    expect(isHostingError(error, 'HOSTING_MISCONFIGURED')).toBe(true);
    expect(error).toMatchObject({ queue: name, name: 'QueueNotHostedError' });
    expect((error as Error).message).toContain(`Queue "${name}"`);
    expect((error as Error).message).toContain('import HostedServicesModule.forRoot() in the root module');
  });
});

@Module({ imports: [BackgroundTaskQueueModule.register({ name: 'emails', concurrency: 2 })] })
class MailModule {}
@Module({ imports: [BackgroundTaskQueueModule.register({ name: 'emails', capacity: 5 })] })
class BillingModule {}

describe('the same queue name registered twice in one application', () => {
  it('fails at startup with DuplicateQueueError naming the queue (instead of two consumers, one set of options ignored)', async () => {
    const error = await compileError([HostedServicesModule.forRoot({ logger: false }), MailModule, BillingModule]);
    expect(error).toBeInstanceOf(DuplicateQueueError);
    expect(isHostingError(error, 'HOSTING_MISCONFIGURED')).toBe(true);
    expect(error).toMatchObject({ queue: 'emails' });
    expect((error as Error).message).toContain('Queue "emails" is registered twice');
  });

  it('fails for the default queue too (two register() without a name)', async () => {
    const error = await compileError([
      HostedServicesModule.forRoot({ logger: false }),
      BackgroundTaskQueueModule.register(),
      BackgroundTaskQueueModule.register({ capacity: 1 }),
    ]);
    expect(error).toBeInstanceOf(DuplicateQueueError);
    expect(error).toMatchObject({ queue: 'default' });
  });

  it('allows different names side by side', async () => {
    const error = await compileError([
      HostedServicesModule.forRoot({ logger: false }),
      BackgroundTaskQueueModule.register(),
      BackgroundTaskQueueModule.register({ name: 'emails' }),
    ]);
    expect(error).toBeUndefined();
  });
});

describe('two applications in one process', () => {
  const apps = useQueueApps();

  it('may each register the same queue name: each has its own queue and consumer', async () => {
    const first = await apps.compile({ queues: [{ name: 'emails' }] });
    const second = await apps.compile({ queues: [{ name: 'emails' }] });
    await first.app.init();
    await second.app.init();
    const ran: string[] = [];
    await first.queue('emails').enqueue(() => void ran.push('first'));
    await second.queue('emails').enqueue(() => void ran.push('second'));
    await apps.close(first.app);
    await apps.close(second.app);
    expect(first.queue('emails')).not.toBe(second.queue('emails'));
    expect(ran.sort()).toEqual(['first', 'second']);
  });
});
