import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Inject, Injectable, Scope } from '@nestjs/common';
import { ContextId, ContextIdFactory, ContextIdStrategy, HostComponentInfo, REQUEST } from '@nestjs/core';
import { TestingModule } from '@nestjs/testing';

import { ServiceScopeFactory } from '../../../lib/scope';
import { createModule, Journal, Leaf, TransientHelper } from './scope.fixtures';

interface TenantUnit {
  tenant: string;
}

/** Nest's documented durable-provider strategy: one durable sub-tree per tenant. */
class TenantStrategy implements ContextIdStrategy<TenantUnit> {
  private readonly tenants = new Map<string, ContextId>();
  attach(contextId: ContextId, unit: TenantUnit) {
    let tenantId = this.tenants.get(unit.tenant);
    if (!tenantId) {
      tenantId = ContextIdFactory.create();
      this.tenants.set(unit.tenant, tenantId);
    }
    return {
      resolve: (info: HostComponentInfo) => (info.isTreeDurable ? tenantId : contextId),
      payload: { tenant: unit.tenant },
    };
  }
}

/** Durable: one per tenant; REQUEST is the strategy's payload. Holds a transient of its own. */
@Injectable({ scope: Scope.REQUEST, durable: true })
class TenantCache {
  disposed = false;
  constructor(
    @Inject(REQUEST) readonly payload: { tenant: string },
    readonly helper: TransientHelper,
  ) {}
  [Symbol.dispose](): void {
    this.disposed = true;
  }
}

/** Per unit, on top of the tenant's durable cache. */
@Injectable({ scope: Scope.REQUEST })
class TenantConsumer {
  disposed = false;
  constructor(
    readonly cache: TenantCache,
    readonly leaf: Leaf,
    @Inject(REQUEST) readonly unit: TenantUnit,
  ) {}
  [Symbol.dispose](): void {
    this.disposed = true;
  }
}

/** Per unit, with a transient of its own beside the durable cache's. */
@Injectable({ scope: Scope.REQUEST })
class TenantWorker {
  constructor(
    readonly cache: TenantCache,
    readonly helper: TransientHelper,
    @Inject('TENANT_CONNECTION') readonly connection: { closed: boolean },
  ) {}
}

/** A durable async factory: Nest also files its instance under the unit's context id. */
const TENANT_CONNECTION = {
  provide: 'TENANT_CONNECTION',
  scope: Scope.REQUEST,
  durable: true,
  useFactory: async () => {
    const connection = { closed: false, [Symbol.dispose]: () => void (connection.closed = true) };
    return connection;
  },
};

describe('ServiceScope with durable providers', () => {
  let moduleRef: TestingModule;
  let factory: ServiceScopeFactory;
  let journal: Journal;

  beforeEach(async () => {
    moduleRef = await createModule([
      Journal,
      Leaf,
      TransientHelper,
      TenantCache,
      TenantConsumer,
      TenantWorker,
      TENANT_CONNECTION,
      ServiceScopeFactory,
    ]);
    factory = moduleRef.get(ServiceScopeFactory);
    journal = moduleRef.get(Journal);
  });
  afterEach(async () => {
    ContextIdFactory.apply(undefined as unknown as ContextIdStrategy);
    await moduleRef.close();
  });

  describe('with a ContextIdStrategy', () => {
    beforeEach(() => ContextIdFactory.apply(new TenantStrategy()));

    it('shares durable instances across the units of a tree, and never disposes them', async () => {
      const unitA1 = { tenant: 'a' };
      const scopeA1 = factory.createScope(unitA1);
      const consumerA1 = await scopeA1.resolve(TenantConsumer);
      await scopeA1.dispose();

      const scopeA2 = factory.createScope({ tenant: 'a' });
      const scopeB = factory.createScope({ tenant: 'b' });
      const consumerA2 = await scopeA2.resolve(TenantConsumer);
      const consumerB = await scopeB.resolve(TenantConsumer);

      expect(consumerA1.unit).toBe(unitA1);
      expect(consumerA1.disposed).toBe(true);
      expect(consumerA2).not.toBe(consumerA1);
      expect(consumerA2.cache).toBe(consumerA1.cache);
      expect(consumerB.cache).not.toBe(consumerA1.cache);
      expect(consumerA1.cache.payload).toEqual({ tenant: 'a' });
      expect(consumerA1.cache.disposed).toBe(false);
      await Promise.all([scopeA2.dispose(), scopeB.dispose()]);
      expect([consumerA2.disposed, consumerB.disposed]).toEqual([true, true]);
      expect([consumerA2.cache.disposed, consumerB.cache.disposed]).toEqual([false, false]);
    });

    it('leaves the transient instances of a durable provider to it', async () => {
      const scope = factory.createScope({ tenant: 'a' });
      const worker = await scope.resolve(TenantWorker);
      await scope.dispose();
      expect(journal.events).toContain(`${worker.helper.name} dispose`);
      expect(journal.events).not.toContain(`${worker.cache.helper.name} dispose`);
      expect(worker.cache.disposed).toBe(false);
    });

    it('never disposes a durable async factory instance', async () => {
      const first = factory.createScope({ tenant: 'a' });
      const worker = await first.resolve(TenantWorker);
      await first.dispose();
      const second = factory.createScope({ tenant: 'a' });
      expect((await second.resolve(TenantWorker)).connection).toBe(worker.connection);
      await second.dispose();
      expect(worker.connection.closed).toBe(false);
    });

    it('still disposes the non-durable dependencies of the unit', async () => {
      const scope = factory.createScope({ tenant: 'a' });
      const consumer = await scope.resolve(TenantConsumer);
      await scope.dispose();
      expect(journal.events).toContain(`${consumer.leaf.name} onUnitOfWorkEnd`);
    });
  });

  it('treats durable providers as request-scoped when no strategy is applied, as Nest does', async () => {
    const first = factory.createScope({ tenant: 'a' });
    const second = factory.createScope({ tenant: 'a' });
    const [a, b] = await Promise.all([first.resolve(TenantConsumer), second.resolve(TenantConsumer)]);
    expect(a.cache).not.toBe(b.cache);
    expect(a.cache.payload).toBe(first.unitOfWork);
    await first.dispose();
    expect(a.cache.disposed).toBe(true);
    expect(b.cache.disposed).toBe(false);
    await second.dispose();
  });
});
