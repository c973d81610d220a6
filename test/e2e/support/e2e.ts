import { afterEach, expect } from '@jest/globals';
import * as common from '@nestjs/common';
import { ModuleMetadata } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { Test, TestingModule, TestingModuleBuilder } from '@nestjs/testing';

import { Clock, FakeClock, HostedLifecycleService } from '../../../lib';

export type Phase = 'starting' | 'start' | 'started' | 'stopping' | 'stop' | 'stopped';
type Behavior = (signal: AbortSignal) => void | Promise<void>;

/**
 * One shared, ordered log of `Name:phase` entries for every recorded service and provider hook of
 * a spec file, with per-test behaviours (`when`) so a test can gate or fail any call.
 */
export class Journal {
  readonly calls: string[] = [];
  readonly signals = new Map<string, AbortSignal>();
  readonly #behaviors = new Map<string, Behavior>();

  reset(): void {
    this.calls.length = 0;
    this.signals.clear();
    this.#behaviors.clear();
  }

  /** Runs `behavior` (after recording) whenever `name`'s `phase` is called. */
  when(name: string, phase: string, behavior: Behavior): void {
    this.#behaviors.set(`${name}:${phase}`, behavior);
  }

  record(name: string, phase: string, signal?: AbortSignal): void | Promise<void> {
    const key = `${name}:${phase}`;
    this.calls.push(key);
    if (signal) this.signals.set(key, signal);
    return this.#behaviors.get(key)?.(signal ?? new AbortController().signal);
  }

  /** Records a call that has no behaviour to wait for (a provider hook, a milestone). */
  note(name: string, phase: string): void {
    this.calls.push(`${name}:${phase}`);
  }

  /** Names of the services whose `phase` was called, in call order. */
  of(phase: string): string[] {
    return this.calls.filter((c) => c.endsWith(`:${phase}`)).map((c) => c.slice(0, c.lastIndexOf(':')));
  }

  /** Entries for `phase` only (`['A:start', 'B:start']`). */
  only(...phases: string[]): string[] {
    return this.calls.filter((c) => phases.includes(c.slice(c.lastIndexOf(':') + 1)));
  }
}

/** The spec file's journal (each spec file gets its own module registry, hence its own journal). */
export const journal = new Journal();

/**
 * A hosted service that records every lifecycle call as `ClassName:phase` in {@link journal} and
 * then runs the behaviour a test registered for it. Subclasses add `@HostedService()`.
 */
export abstract class Recorded implements HostedLifecycleService {
  get name(): string {
    return this.constructor.name;
  }
  starting(signal: AbortSignal): void | Promise<void> {
    return journal.record(this.name, 'starting', signal);
  }
  start(signal: AbortSignal): void | Promise<void> {
    return journal.record(this.name, 'start', signal);
  }
  started(signal: AbortSignal): void | Promise<void> {
    return journal.record(this.name, 'started', signal);
  }
  stopping(signal: AbortSignal): void | Promise<void> {
    return journal.record(this.name, 'stopping', signal);
  }
  stop(signal: AbortSignal): void | Promise<void> {
    return journal.record(this.name, 'stop', signal);
  }
  stopped(signal: AbortSignal): void | Promise<void> {
    return journal.record(this.name, 'stopped', signal);
  }
}

export interface CompileOptions {
  clock?: FakeClock;
  configure?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

/**
 * Compiles real Nest testing modules and closes, after each test, every one the test left open
 * (toolchain.md pitfall 7: no createNestApplication()).
 */
export function useApps(): {
  compile(metadata: ModuleMetadata, options?: CompileOptions): Promise<TestingModule>;
  close(app: TestingModule): Promise<void>;
} {
  const open = new Set<TestingModule>();
  afterEach(async () => {
    const apps = [...open];
    open.clear();
    for (const app of apps) await app.close().catch(() => undefined);
  });
  return {
    async compile(metadata, options = {}) {
      let builder = Test.createTestingModule(metadata);
      if (options.clock) builder = builder.overrideProvider(Clock).useValue(options.clock);
      if (options.configure) builder = options.configure(builder);
      const app = await builder.compile();
      open.add(app);
      return app;
    },
    async close(app) {
      open.delete(app);
      await app.close();
    },
  };
}

/** Process-level listener counts, to prove the library leaves none behind. */
export function signalListeners(): { SIGINT: number; SIGTERM: number } {
  return { SIGINT: process.listenerCount('SIGINT'), SIGTERM: process.listenerCount('SIGTERM') };
}

const HOOKS = [
  'onModuleInit',
  'onApplicationBootstrap',
  'onModuleDestroy',
  'beforeApplicationShutdown',
  'onApplicationShutdown',
];

/**
 * Every live provider/module/controller instance of the application that carries one of Nest's
 * lifecycle hooks as an own property (the library's wrappers are own properties): `Class.hook`.
 */
export function ownHookProperties(app: TestingModule, extra: object[] = []): string[] {
  const found: string[] = [];
  const instances = new Set<object>(extra);
  for (const moduleRef of app.get(ModulesContainer).values()) {
    for (const collection of [moduleRef.providers, moduleRef.controllers, moduleRef.injectables]) {
      for (const wrapper of collection.values()) {
        const instance: unknown =
          wrapper.isDependencyTreeStatic() && !wrapper.isTransient ? wrapper.instance : undefined;
        if (typeof instance === 'object' && instance !== null) instances.add(instance);
      }
    }
  }
  for (const instance of instances) {
    for (const hook of HOOKS) {
      if (Object.prototype.hasOwnProperty.call(instance, hook)) found.push(`${instance.constructor.name}.${hook}`);
    }
  }
  return found;
}

/** Resolves when `promise` settles, with what it settled to, so a rejection is never unhandled. */
export function settled<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/** Tracks whether a promise has settled yet, without awaiting it. */
export function track(promise: Promise<unknown>): { readonly done: boolean } {
  const state = { done: false };
  void promise.then(
    () => (state.done = true),
    () => (state.done = true),
  );
  return state;
}

/** The NestJS major actually loaded (StandardSchemaValidationPipe is new in 12). */
export const NEST_MAJOR: 11 | 12 = 'StandardSchemaValidationPipe' in common ? 12 : 11;

/**
 * Closes an application whose init() rejected with `initError`. Nest 12 runs the teardown hooks
 * (its close() catches the failed initialization); Nest 11's close() awaits the failed
 * initialization unguarded, so it rejects with that same error and runs no teardown hook at all.
 * Either way the library has already rolled back by then.
 */
export async function expectCloseAfterFailedInit(closing: Promise<void>, initError: unknown): Promise<void> {
  const result = await settled(closing);
  if (NEST_MAJOR === 11) expect(result).toEqual({ ok: false, error: initError });
  else expect(result).toEqual({ ok: true, value: undefined });
}

/** Resolves once `signal` has aborted (at once if it already has). */
export function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
