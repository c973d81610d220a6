import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Scope } from '@nestjs/common';
import { ContextIdFactory } from '@nestjs/core';
import { REQUEST_CONTEXT_ID } from '@nestjs/core/router/request/request-constants';
import { TestingModule } from '@nestjs/testing';

import { InvalidOptionError } from '../../../lib/errors/invalid-option.error';
import { isHostingError } from '../../../lib/errors/hosting-error';
import { ScopeDisposedError, ServiceScopeFactory } from '../../../lib/scope';
import {
  createModule,
  HiddenModule,
  HiddenScoped,
  Journal,
  Leaf,
  Root,
  SCOPE_PROVIDERS,
  SingletonResource,
} from './scope.fixtures';

describe('ServiceScopeFactory.createScope', () => {
  let moduleRef: TestingModule;
  let factory: ServiceScopeFactory;

  beforeEach(async () => {
    moduleRef = await createModule(
      [
        ...SCOPE_PROVIDERS,
        ServiceScopeFactory,
        { provide: 'ROOT_ALIAS', useExisting: Root },
        { provide: 'CONFIG', useValue: { answer: 42 } },
        {
          provide: 'CONNECTION',
          scope: Scope.REQUEST,
          inject: [Journal],
          useFactory: async (journal: Journal) => ({
            [Symbol.asyncDispose]: async () => void journal.events.push('CONNECTION closed'),
          }),
        },
      ],
      [HiddenModule],
    );
    factory = moduleRef.get(ServiceScopeFactory);
  });
  afterEach(() => moduleRef.close());

  it('gives one instance per scope, shared within the scope', async () => {
    const first = factory.createScope();
    const second = factory.createScope();
    const [a1, a2, b] = await Promise.all([first.resolve(Root), first.resolve(Root), second.resolve(Root)]);
    expect(a1).toBe(a2);
    expect(await first.resolve(Leaf)).toBe(a1.middle.leaf);
    expect(b).not.toBe(a1);
    expect(b.middle).not.toBe(a1.middle);
    expect(b.middle.leaf).not.toBe(a1.middle.leaf);
  });

  it('returns singletons as they are', async () => {
    const scope = factory.createScope();
    expect(await scope.resolve(SingletonResource)).toBe(moduleRef.get(SingletonResource));
    expect((await scope.resolve(Root)).singleton).toBe(moduleRef.get(SingletonResource));
    expect(await scope.resolve<{ answer: number }>('CONFIG')).toEqual({ answer: 42 });
  });

  it('injects the unit of work as REQUEST', async () => {
    const job = { id: 'job-7', payload: 'x' };
    const scope = factory.createScope(job);
    expect(scope.unitOfWork).toBe(job);
    expect((await scope.resolve(Root)).unit).toBe(job);
  });

  it('creates a default unit of work { id } when none is given', async () => {
    const first = factory.createScope();
    const second = factory.createScope();
    expect(first.unitOfWork).toEqual({ id: expect.any(String) });
    expect(second.unitOfWork.id).not.toBe(first.unitOfWork.id);
    expect((await first.resolve(Root)).unit).toBe(first.unitOfWork);
  });

  it('exposes a fresh context id per scope', () => {
    const first = factory.createScope();
    const second = factory.createScope();
    expect(first.contextId).toEqual({ id: expect.any(Number) });
    expect(second.contextId).not.toBe(first.contextId);
  });

  it('never joins the context of an object Nest already tracks as a request', async () => {
    const request = {};
    const requestContextId = ContextIdFactory.create();
    Object.defineProperty(request, REQUEST_CONTEXT_ID, { value: requestContextId });
    const requestRoot = await moduleRef.resolve(Root, requestContextId);
    const scope = factory.createScope(request);
    expect(scope.contextId).not.toBe(requestContextId);
    expect(await scope.resolve(Root)).not.toBe(requestRoot);
  });

  it('resolves from any module, like strict: false', async () => {
    const scope = factory.createScope();
    const hidden = await scope.resolve(HiddenScoped);
    await scope.dispose();
    expect(hidden.disposed).toBe(true);
  });

  it('resolves aliases and factory providers, and disposes what they created', async () => {
    const journal = moduleRef.get(Journal);
    const scope = factory.createScope();
    const root = await scope.resolve<Root>('ROOT_ALIAS');
    expect(root).toBeInstanceOf(Root);
    expect(await scope.resolve(Root)).toBe(root);
    await scope.resolve('CONNECTION');
    await scope.dispose();
    expect(journal.events.filter((e) => !e.endsWith('created'))).toEqual([
      'CONNECTION closed',
      'Root#1 dispose',
      'Middle#1 asyncDispose',
      'Leaf#1 onUnitOfWorkEnd',
    ]);
  });

  it('throws a typed error naming the token when resolving from a disposed scope', async () => {
    const scope = factory.createScope({ id: 42 });
    await scope.dispose();
    const error = await scope.resolve(Root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScopeDisposedError);
    expect(isHostingError(error, 'HOSTING_SCOPE_DISPOSED')).toBe(true);
    expect(error).toMatchObject({
      token: Root,
      message: 'Cannot resolve Root from a service scope that has been disposed (unit of work 42)',
    });
    await expect(scope.resolve('CONFIG')).rejects.toThrow('Cannot resolve "CONFIG" from');
    await expect(scope.resolve(Symbol('CLOCK'))).rejects.toThrow('Cannot resolve Symbol(CLOCK) from');
  });

  it('refuses resolutions as soon as disposal begins', async () => {
    const scope = factory.createScope();
    const disposing = scope.dispose();
    await expect(scope.resolve(Root)).rejects.toBeInstanceOf(ScopeDisposedError);
    await disposing;
  });

  it.each([null, 42, 'job'])('rejects a unit of work that is not an object: %p', (unit) => {
    const create = () => factory.createScope(unit as unknown as object);
    expect(create).toThrow(InvalidOptionError);
    expect(create).toThrow('Expected `unitOfWork` to be an object, got');
  });

  it('rejects an unknown token as Nest does, and stays usable', async () => {
    const scope = factory.createScope();
    await expect(scope.resolve('NOPE')).rejects.toThrow();
    expect(await scope.resolve(Root)).toBeInstanceOf(Root);
    await scope.dispose();
  });
});
