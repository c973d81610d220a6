import { ModuleMetadata } from '@nestjs/common';
import { afterEach } from '@jest/globals';
import { Test, TestingModule } from '@nestjs/testing';

import {
  BackgroundTaskQueueModule,
  Clock,
  FakeClock,
  HostedServicesModule,
  TaskQueueOptions,
  UnprocessedWorkItem,
} from '../../../lib';
import { TaskQueue } from '../../../lib/queue/background-task-queue';
import { getQueueToken } from '../../../lib/queue/background-task-queue.module';
import { UnprocessedReason } from '../../../lib/queue/work-item';
import { CaptureLogger } from '../../helpers/capture-logger';

/** Every `onUnprocessed` call of an app's queues, as `queue/reason: label:started, ...`. */
export class HandBacks {
  readonly calls: string[] = [];
  readonly items: UnprocessedWorkItem[] = [];
  /** The reason each of `items` was handed back for, by index. */
  readonly reasons: UnprocessedReason[] = [];

  /** The `onUnprocessed` of queue `name`. */
  for(name: string): (items: UnprocessedWorkItem[], reason: UnprocessedReason) => void {
    return (items, reason) => {
      this.items.push(...items);
      this.reasons.push(...items.map(() => reason));
      this.calls.push(`${name}/${reason}: ${items.map((i) => `${i.label}:${i.started}`).join(', ')}`);
    };
  }
}

export interface QueueAppOptions {
  /** One queue per entry; each gets a recording `onUnprocessed` unless it sets its own (or `undefined`). */
  queues?: TaskQueueOptions[];
  shutdownTimeout?: number;
  providers?: ModuleMetadata['providers'];
  imports?: ModuleMetadata['imports'];
  /** `false` silences the host (and the queues); default: a {@link CaptureLogger}. */
  logger?: false;
}

/**
 * Compiles (not inits) a real Nest testing module with `HostedServicesModule`, the given queues,
 * a `FakeClock` in place of `Clock` and a capturing logger; closes, after each test, what the test left open.
 */
export function useQueueApps() {
  const open = new Map<TestingModule, { clock: FakeClock; shutdownTimeout: number }>();
  // A test that fails half-way leaves its app open, often with an item that never ends: close it
  // with the clock moved past its shutdown deadline, so the close cannot hang on the fake clock.
  afterEach(async () => {
    for (const [app, { clock, shutdownTimeout }] of open) {
      const closing = app.close().catch(() => undefined);
      await clock.advance(Number.isFinite(shutdownTimeout) ? shutdownTimeout : 0);
      await closing;
    }
    open.clear();
  });
  return {
    async close(app: TestingModule): Promise<void> {
      open.delete(app);
      await app.close();
    },
    async compile({
      queues = [{}],
      shutdownTimeout = 5_000,
      providers = [],
      imports = [],
      logger: silent,
    }: QueueAppOptions = {}) {
      const clock = new FakeClock();
      const logger = new CaptureLogger();
      const handBacks = new HandBacks();
      const modules = queues.map((q) =>
        BackgroundTaskQueueModule.register({ onUnprocessed: handBacks.for(q.name ?? 'default'), ...q }),
      );
      const app = await Test.createTestingModule({
        imports: [HostedServicesModule.forRoot({ logger: silent ?? logger, shutdownTimeout }), ...modules, ...imports],
        providers,
      })
        .overrideProvider(Clock)
        .useValue(clock)
        .compile();
      open.set(app, { clock, shutdownTimeout });
      /** The queue named `name`, with its internal counters. */
      const queue = (name = 'default'): TaskQueue => app.get<TaskQueue>(getQueueToken(name));
      return { app, clock, logger, handBacks, queue };
    },
  };
}

export const report = (name: string, a: number, s: number, f: number, h: number): string =>
  `Queue "${name}" stopped: accepted ${a} = ${s} succeeded + ${f} failed + ${h} handed back`;
