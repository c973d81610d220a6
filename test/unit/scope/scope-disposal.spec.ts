import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { TestingModule } from '@nestjs/testing';

import { ServiceScopeFactory } from '../../../lib/scope';
import {
  AllHooks,
  createModule,
  Journal,
  Leaf,
  Middle,
  Root,
  SCOPE_PROVIDERS,
  SingletonUsesTransient,
  TransientHelper,
  UsesTransient,
} from './scope.fixtures';

describe('ServiceScope.dispose', () => {
  let moduleRef: TestingModule;
  let factory: ServiceScopeFactory;
  let journal: Journal;
  /** What happened after creation, in order. */
  const disposals = () => journal.events.filter((event) => !event.endsWith(' created'));

  beforeEach(async () => {
    moduleRef = await createModule([...SCOPE_PROVIDERS, ServiceScopeFactory]);
    factory = moduleRef.get(ServiceScopeFactory);
    journal = moduleRef.get(Journal);
  });
  afterEach(() => moduleRef.close());

  it('disposes the scoped dependencies of what was resolved, dependents first', async () => {
    const scope = factory.createScope();
    await scope.resolve(Root);
    expect(journal.events.slice(-3)).toEqual(['Leaf#1 created', 'Middle#1 created', 'Root#1 created']);
    await scope.dispose();
    expect(disposals()).toEqual(['Root#1 dispose', 'Middle#1 asyncDispose', 'Leaf#1 onUnitOfWorkEnd']);
  });

  it('disposes in reverse creation order across resolutions', async () => {
    const scope = factory.createScope();
    await scope.resolve(Leaf);
    await scope.resolve(AllHooks);
    await scope.resolve(Middle); // after AllHooks, but its Leaf came first
    await scope.dispose();
    expect(disposals()).toEqual([
      'Middle#1 asyncDispose',
      'AllHooks#1 onUnitOfWorkEnd',
      'AllHooks#1 asyncDispose',
      'Leaf#1 onUnitOfWorkEnd',
    ]);
  });

  it('calls onUnitOfWorkEnd, then Symbol.asyncDispose rather than Symbol.dispose', async () => {
    const scope = factory.createScope();
    await scope.resolve(AllHooks);
    await scope.dispose();
    expect(disposals()).toEqual(['AllHooks#1 onUnitOfWorkEnd', 'AllHooks#1 asyncDispose']);
  });

  it('never disposes singletons', async () => {
    const scope = factory.createScope();
    await scope.resolve(Root);
    await scope.resolve(SingletonUsesTransient);
    await scope.dispose();
    expect(disposals().filter((event) => event.startsWith('Singleton'))).toEqual([]);
  });

  it('disposes transient instances created for the unit, not those of singletons', async () => {
    const applicationHelper = moduleRef.get(SingletonUsesTransient).helper;
    const scope = factory.createScope();
    const user = await scope.resolve(UsesTransient);
    const direct = await scope.resolve(TransientHelper);
    expect(new Set([applicationHelper, user.helper, direct]).size).toBe(3);
    await scope.dispose();
    expect(disposals()).toEqual([`${direct.name} dispose`, `${user.helper.name} dispose`]);
  });

  it('works with await using', async () => {
    let root: Root;
    {
      await using scope = factory.createScope();
      root = await scope.resolve(Root);
      expect(disposals()).toEqual([]);
    }
    expect(disposals()).toEqual([`${root.name} dispose`, 'Middle#1 asyncDispose', 'Leaf#1 onUnitOfWorkEnd']);
  });

  it('waits for resolutions under way, then disposes what they created', async () => {
    const scope = factory.createScope();
    const resolving = scope.resolve(Root);
    await scope.dispose();
    const root = await resolving;
    expect(disposals()).toEqual([`${root.name} dispose`, 'Middle#1 asyncDispose', 'Leaf#1 onUnitOfWorkEnd']);
  });

  it('disposes nothing of another scope', async () => {
    const first = factory.createScope();
    const second = factory.createScope();
    await first.resolve(Root);
    const other = await second.resolve(Root);
    await first.dispose();
    expect(disposals().some((event) => event.includes('#2'))).toBe(false);
    await second.dispose();
    expect(disposals()).toContain(`${other.name} dispose`);
  });
});
