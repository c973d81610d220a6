import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Inject, Injectable, Scope } from '@nestjs/common';
import { TestingModule } from '@nestjs/testing';

import { isHostingError } from '../../../lib/errors/hosting-error';
import { ScopeDisposalError, ServiceScopeFactory } from '../../../lib/scope';
import { createModule, Journal, Leaf, Middle, Root, SCOPE_PROVIDERS } from './scope.fixtures';

class Boom extends Error {}

@Injectable({ scope: Scope.REQUEST })
class FailsOnEnd {
  constructor(readonly journal: Journal) {}
  onUnitOfWorkEnd(): void {
    throw new Boom('end failed');
  }
}

@Injectable({ scope: Scope.REQUEST })
class FailsOnDispose {
  constructor(readonly end: FailsOnEnd) {}
  async [Symbol.asyncDispose](): Promise<void> {
    throw new Boom('dispose failed');
  }
}

@Injectable({ scope: Scope.REQUEST })
class Explodes {
  constructor(readonly leaf: Leaf) {
    throw new Boom('constructor failed');
  }
}

let bombArmed = true;

/** Fails its first construction only. */
@Injectable({ scope: Scope.REQUEST })
class Bomb {
  constructor() {
    if (bombArmed) {
      bombArmed = false;
      throw new Boom('first construction failed');
    }
  }
}

/** The constructor fails (the first time), so Nest never gets to the property. */
@Injectable({ scope: Scope.REQUEST })
class FailsBeforeProperty {
  @Inject(Middle) readonly middle!: Middle;
  constructor(readonly bomb: Bomb) {}
}

describe('ServiceScope.dispose when things fail', () => {
  let moduleRef: TestingModule;
  let factory: ServiceScopeFactory;
  let journal: Journal;
  /** What happened after creation, in order. */
  const disposals = () => journal.events.filter((event) => !event.endsWith(' created'));

  beforeEach(async () => {
    bombArmed = true;
    moduleRef = await createModule([
      ...SCOPE_PROVIDERS,
      FailsOnEnd,
      FailsOnDispose,
      Explodes,
      Bomb,
      FailsBeforeProperty,
      ServiceScopeFactory,
    ]);
    factory = moduleRef.get(ServiceScopeFactory);
    journal = moduleRef.get(Journal);
  });
  afterEach(() => moduleRef.close());

  it('keeps going past a throwing disposer and rethrows a single failure as it is', async () => {
    const scope = factory.createScope();
    await scope.resolve(Leaf);
    await scope.resolve(FailsOnEnd);
    await scope.resolve(Middle);
    const error = await scope.dispose().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Boom);
    expect(error).toHaveProperty('message', 'end failed');
    expect(disposals()).toEqual(['Middle#1 asyncDispose', 'Leaf#1 onUnitOfWorkEnd']);
  });

  it('aggregates several failures into a ScopeDisposalError', async () => {
    const scope = factory.createScope({ id: 'job-1' });
    await scope.resolve(Leaf);
    await scope.resolve(FailsOnDispose);
    const error = await scope.dispose().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScopeDisposalError);
    expect(error).toBeInstanceOf(AggregateError);
    expect(isHostingError(error, 'HOSTING_SCOPE_DISPOSAL_FAILED')).toBe(true);
    const { errors, message } = error as ScopeDisposalError;
    expect(errors.map((e: Error) => e.message)).toEqual(['dispose failed', 'end failed']);
    expect(message).toBe(
      'Disposing a service scope (unit of work job-1) failed for 2 instances: FailsOnDispose, FailsOnEnd',
    );
    expect(disposals()).toEqual(['Leaf#1 onUnitOfWorkEnd']);
  });

  it('is a no-op the second time, even after a failure', async () => {
    const scope = factory.createScope();
    await scope.resolve(Root);
    await scope.resolve(FailsOnEnd);
    const first = scope.dispose();
    const second = scope.dispose();
    await expect(first).rejects.toThrow('end failed');
    await expect(second).resolves.toBeUndefined();
    await expect(scope.dispose()).resolves.toBeUndefined();
    expect(disposals()).toHaveLength(3);
  });

  it('disposes the dependencies built before a resolution failed', async () => {
    const scope = factory.createScope();
    await expect(scope.resolve(Explodes)).rejects.toThrow('constructor failed');
    await scope.dispose();
    expect(disposals()).toEqual(['Leaf#1 onUnitOfWorkEnd']);
  });

  it('learns the whole tree of a root whose first resolution failed', async () => {
    const failed = factory.createScope();
    await expect(failed.resolve(FailsBeforeProperty)).rejects.toThrow('first construction failed');
    await failed.dispose();
    const scope = factory.createScope();
    const root = await scope.resolve(FailsBeforeProperty);
    await scope.dispose();
    expect(disposals()).toEqual([`${root.middle.name} asyncDispose`, `${root.middle.leaf.name} onUnitOfWorkEnd`]);
  });
});
