import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Inject, Injectable, Scope } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { TestingModule } from '@nestjs/testing';

import { ServiceScopeFactory } from '../../../lib/scope';
import { createModule, Journal, Leaf, Middle, Root, SCOPE_PROVIDERS } from './scope.fixtures';

interface Job {
  id: number;
}

/** Scoped, built asynchronously, so that units really interleave inside Nest's injector. */
@Injectable({ scope: Scope.REQUEST })
class SlowStep {
  ends = 0;
  constructor(
    @Inject(REQUEST) readonly job: Job,
    readonly middle: Middle,
  ) {}
  async onUnitOfWorkEnd(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.ends++;
  }
}

const SLOW_CONNECTION = {
  provide: 'SLOW_CONNECTION',
  scope: Scope.REQUEST,
  inject: [REQUEST],
  useFactory: async (job: Job) => {
    await new Promise((resolve) => setTimeout(resolve, job.id % 3));
    return {
      job,
      closes: 0,
      [Symbol.dispose]() {
        this.closes++;
      },
    };
  },
};

@Injectable({ scope: Scope.REQUEST })
class Handler {
  constructor(
    readonly root: Root,
    readonly step: SlowStep,
    @Inject('SLOW_CONNECTION') readonly connection: { job: Job; closes: number },
  ) {}
}

describe('ServiceScope under concurrency', () => {
  let moduleRef: TestingModule;
  let factory: ServiceScopeFactory;

  beforeEach(async () => {
    moduleRef = await createModule([...SCOPE_PROVIDERS, SlowStep, SLOW_CONNECTION, Handler, ServiceScopeFactory]);
    factory = moduleRef.get(ServiceScopeFactory);
  });
  afterEach(() => moduleRef.close());

  it('never leaks one unit’s instances into another, nor disposes them twice', async () => {
    const jobs: Job[] = Array.from({ length: 64 }, (_, id) => ({ id }));
    const handlers = await Promise.all(
      jobs.map(async (job) => {
        const scope = factory.createScope(job);
        // Several resolutions per unit, in parallel, racing the other units.
        const [handler, root, leaf] = await Promise.all([
          scope.resolve(Handler),
          scope.resolve(Root),
          scope.resolve(Leaf),
        ]);
        expect(handler.root).toBe(root);
        expect(handler.root.middle.leaf).toBe(leaf);
        expect(handler.step.middle).toBe(root.middle);
        await scope.dispose();
        return handler;
      }),
    );

    handlers.forEach((handler, i) => {
      expect(handler.root.unit).toBe(jobs[i]);
      expect(handler.step.job).toBe(jobs[i]);
      expect(handler.connection.job).toBe(jobs[i]);
      expect(handler.step.ends).toBe(1);
      expect(handler.connection.closes).toBe(1);
    });
    const picks: ((handler: Handler) => object)[] = [(h) => h.root, (h) => h.root.middle, (h) => h.root.middle.leaf];
    for (const pick of picks) expect(new Set(handlers.map(pick)).size).toBe(jobs.length);
    const events = moduleRef.get(Journal).events.filter((event) => !event.endsWith(' created'));
    expect(events).toHaveLength(3 * jobs.length);
    expect(new Set(events).size).toBe(events.length);
  });

  it('keeps per-scope disposal order while other scopes dispose in parallel', async () => {
    const scopes = Array.from({ length: 16 }, () => factory.createScope());
    const roots = await Promise.all(scopes.map((scope) => scope.resolve(Root)));
    await Promise.all(scopes.map((scope) => scope.dispose()));
    const events = moduleRef.get(Journal).events.filter((event) => !event.endsWith(' created'));
    for (const root of roots) {
      const own = [root.name, root.middle.name, root.middle.leaf.name];
      expect(events.filter((event) => own.some((name) => event.startsWith(`${name} `)))).toEqual([
        `${root.name} dispose`,
        `${root.middle.name} asyncDispose`,
        `${root.middle.leaf.name} onUnitOfWorkEnd`,
      ]);
    }
  });
});
