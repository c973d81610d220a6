import { Inject, Injectable, Module, Scope } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { Test, TestingModule } from '@nestjs/testing';

/** Singleton that records what the scoped instances go through, in order. */
@Injectable()
export class Journal {
  readonly events: string[] = [];
  private readonly counters = new Map<string, number>();

  /** A fresh instance name: `Leaf#1`, `Leaf#2`, … */
  name(kind: string): string {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return `${kind}#${n}`;
  }
}

/** Base of the recording fixtures: named instance, one dispose hook per subclass. */
abstract class Recorded {
  readonly name: string;
  constructor(readonly journal: Journal) {
    this.name = journal.name(new.target.name);
    journal.events.push(`${this.name} created`);
  }
  protected record(what: string): void {
    this.journal.events.push(`${this.name} ${what}`);
  }
}

/** Scoped leaf, disposed through the library's hook. */
@Injectable({ scope: Scope.REQUEST })
export class Leaf extends Recorded {
  constructor(journal: Journal) {
    super(journal);
  }
  onUnitOfWorkEnd(): void {
    this.record('onUnitOfWorkEnd');
  }
}

/** Scoped, depends on Leaf; disposed through `Symbol.asyncDispose`. */
@Injectable({ scope: Scope.REQUEST })
export class Middle extends Recorded {
  constructor(
    journal: Journal,
    readonly leaf: Leaf,
  ) {
    super(journal);
  }
  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.resolve();
    this.record('asyncDispose');
  }
}

/** Singleton with every dispose hook: a scope must never call any of them. */
@Injectable()
export class SingletonResource extends Recorded {
  constructor(journal: Journal) {
    super(journal);
  }
  onUnitOfWorkEnd(): void {
    this.record('onUnitOfWorkEnd');
  }
  [Symbol.dispose](): void {
    this.record('dispose');
  }
}

/** Scoped root: Middle (→ Leaf), a singleton, and the unit of work as `REQUEST`. */
@Injectable({ scope: Scope.REQUEST })
export class Root extends Recorded {
  constructor(
    journal: Journal,
    readonly middle: Middle,
    readonly singleton: SingletonResource,
    @Inject(REQUEST) readonly unit: object,
  ) {
    super(journal);
  }
  [Symbol.dispose](): void {
    this.record('dispose');
  }
}

/** Transient helper with a sync disposer. */
@Injectable({ scope: Scope.TRANSIENT })
export class TransientHelper extends Recorded {
  constructor(journal: Journal) {
    super(journal);
  }
  [Symbol.dispose](): void {
    this.record('dispose');
  }
}

/** Scoped consumer of a transient. */
@Injectable({ scope: Scope.REQUEST })
export class UsesTransient extends Recorded {
  constructor(
    journal: Journal,
    readonly helper: TransientHelper,
  ) {
    super(journal);
  }
}

/** Singleton consumer of a transient: its helper is the application's. */
@Injectable()
export class SingletonUsesTransient {
  constructor(readonly helper: TransientHelper) {}
}

/** Scoped, both hooks: `onUnitOfWorkEnd` then `Symbol.asyncDispose`, never `Symbol.dispose`. */
@Injectable({ scope: Scope.REQUEST })
export class AllHooks extends Recorded {
  constructor(journal: Journal) {
    super(journal);
  }
  onUnitOfWorkEnd(): void {
    this.record('onUnitOfWorkEnd');
  }
  async [Symbol.asyncDispose](): Promise<void> {
    this.record('asyncDispose');
  }
  [Symbol.dispose](): void {
    this.record('dispose');
  }
}

/** Scoped provider living in an imported module that does not export it. */
@Injectable({ scope: Scope.REQUEST })
export class HiddenScoped {
  disposed = false;
  [Symbol.dispose](): void {
    this.disposed = true;
  }
}

@Module({ providers: [HiddenScoped] })
export class HiddenModule {}

/** The providers most specs share. */
export const SCOPE_PROVIDERS = [
  Journal,
  Leaf,
  Middle,
  Root,
  SingletonResource,
  TransientHelper,
  UsesTransient,
  SingletonUsesTransient,
  AllHooks,
];

/** Compiles and initialises a testing module (no HTTP platform: toolchain.md pitfall 7). */
export async function createModule(
  providers: Parameters<typeof Test.createTestingModule>[0]['providers'],
  imports: Parameters<typeof Test.createTestingModule>[0]['imports'] = [],
): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({ imports, providers }).compile();
  await moduleRef.init();
  return moduleRef;
}
