import { beforeEach, describe, expect, it } from '@jest/globals';
import { Injectable, Provider, Scope } from '@nestjs/common';

import {
  HostedService,
  HostedServicesModule,
  InvalidHostedServiceError,
  InvalidOptionError,
  isHostingError,
} from '../../lib';
import { expectCloseAfterFailedInit, journal, Recorded, settled, signalListeners, useApps } from './support/e2e';

// Declared at module level on purpose: the decorator itself must accept them; only init rejects.
@HostedService()
class NoStop {
  start(): void {}
}

@HostedService()
class NoStart {
  stop(): void {}
}

@HostedService()
class NeitherMethod {}

@HostedService()
class StopIsNotAFunction {
  start(): void {}
  readonly stop = 'later';
}

@HostedService()
class Valid extends Recorded {}

@HostedService()
class ScopedByProvider extends Recorded {}

@Injectable({ scope: Scope.REQUEST })
@HostedService()
class ScopedBelowInjectable extends Recorded {}

@HostedService()
@Injectable({ scope: Scope.REQUEST })
class ScopedAboveInjectable extends Recorded {}

@Injectable({ scope: Scope.REQUEST })
class RequestScopedBase extends Recorded {}

/** Inherits its scope from a request-scoped base class. */
@HostedService()
class ScopedByInheritance extends RequestScopedBase {}

@Injectable({ scope: Scope.REQUEST })
class PerRequest {}

@HostedService()
class NeedsPerRequest extends Recorded {
  constructor(readonly perRequest: PerRequest) {
    super();
  }
}

@Injectable()
class PerRequestUser {
  constructor(readonly perRequest: PerRequest) {}
}

/** Request-scoped only through a plain provider in between. */
@HostedService()
class NeedsPerRequestIndirectly extends Recorded {
  constructor(readonly user: PerRequestUser) {
    super();
  }
}

@HostedService()
class Transient extends Recorded {}

const hosting = (): ReturnType<typeof HostedServicesModule.forRoot> => HostedServicesModule.forRoot({ logger: false });

describe('validation at init (never at shutdown)', () => {
  const apps = useApps();
  beforeEach(() => journal.reset());

  async function expectInitRejects(providers: Provider[], service: string, text: RegExp): Promise<void> {
    const baseline = signalListeners();
    const app = await apps.compile({ imports: [hosting()], providers: [Valid, ...providers] }); // compile succeeds
    const result = await settled(app.init());
    expect(result.ok).toBe(false);
    const error = !result.ok && result.error;
    expect(error).toBeInstanceOf(InvalidHostedServiceError);
    expect(isHostingError(error, 'HOSTING_INVALID_SERVICE')).toBe(true);
    expect((error as InvalidHostedServiceError).service).toBe(service);
    expect((error as Error).message).toContain(service);
    expect((error as Error).message).toMatch(text);
    expect(journal.calls).toEqual([]); // nothing started, not even the valid service
    expect(signalListeners()).toEqual(baseline);
    await expectCloseAfterFailedInit(apps.close(app), error); // and closing raises nothing new
    expect(journal.calls).toEqual([]);
  }

  it.each([
    [NoStop, 'stop'],
    [NoStart, 'start'],
    [NeitherMethod, 'start'],
    [StopIsNotAFunction, 'stop'],
  ])('rejects @HostedService() class %p without a callable start/stop', async (type, missing) => {
    await expectInitRejects([type], type.name, new RegExp(`no ${missing}\\(\\) method`));
  });

  it('rejects a hosted service registered as request-scoped', async () => {
    await expectInitRejects(
      [{ provide: ScopedByProvider, useClass: ScopedByProvider, scope: Scope.REQUEST }],
      'ScopedByProvider',
      /not a singleton/,
    );
  });

  it('rejects a hosted service made request-scoped by @Injectable({ scope }) above it', async () => {
    await expectInitRejects([ScopedBelowInjectable], 'ScopedBelowInjectable', /not a singleton/);
  });

  it('rejects a hosted service made request-scoped by @Injectable({ scope }) below it (the scope must not be silently dropped)', async () => {
    await expectInitRejects([ScopedAboveInjectable], 'ScopedAboveInjectable', /not a singleton/);
  });

  it('rejects a hosted service that inherits a request scope from its base class', async () => {
    await expectInitRejects([ScopedByInheritance], 'ScopedByInheritance', /not a singleton/);
  });

  it('rejects a transient hosted service', async () => {
    await expectInitRejects(
      [{ provide: Transient, useClass: Transient, scope: Scope.TRANSIENT }],
      'Transient',
      /not a singleton/,
    );
  });

  it('rejects a hosted service that depends on a request-scoped provider', async () => {
    await expectInitRejects([NeedsPerRequest, PerRequest], 'NeedsPerRequest', /depends on a request-scoped provider/);
  });

  it('rejects a hosted service that depends on a request-scoped provider through a plain provider', async () => {
    await expectInitRejects(
      [NeedsPerRequestIndirectly, PerRequestUser, PerRequest],
      'NeedsPerRequestIndirectly',
      /not a singleton/,
    );
  });

  it.each([
    [{ order: NaN }, 'NaN'],
    [{ order: Infinity }, 'Infinity'],
    [{ order: -Infinity }, '-Infinity'],
    [{ order: '1' }, "'1'"],
    [null, 'null'],
  ])('rejects @HostedService(%p) when decorating, naming the value', (options, shown) => {
    let error: unknown;
    try {
      HostedService(options as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toBeInstanceOf(TypeError);
    expect(isHostingError(error, 'HOSTING_INVALID_OPTION')).toBe(true);
    expect((error as Error).message).toContain(shown);
    expect((error as InvalidOptionError).option).toBe(options === null ? 'HostedService options' : 'order');
  });

  it('accepts any finite order, including negative and fractional ones', () => {
    for (const order of [-1e9, -1, -0.5, 0, 2.5, 1e9]) expect(() => HostedService({ order })).not.toThrow();
  });
});
