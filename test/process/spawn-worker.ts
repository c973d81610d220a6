import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

const ROOT = join(__dirname, '..', '..');
/** Compiled by `npm run build:sample` (scripts/test.sh runs it before jest). */
export const SAMPLE = join(ROOT, 'dist-sample', 'sample', 'worker', 'main.js');
export const SCENARIO = join(ROOT, 'dist-sample', 'test', 'process', 'fixtures', 'scenario.js');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** ms from the last signal the test sent (or from spawn) to exit. */
  ms: number;
}

/** A spawned worker whose output the test reads line by line. */
export class WorkerProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<Exit>;
  #child: ChildProcess;
  #waiters: Array<{ re: RegExp; resolve: (line: string) => void }> = [];
  #signalledAt = performance.now();
  #guard: NodeJS.Timeout;

  /**
   * Spawns `script`; if it is still running after `boundMs`, it is killed and `exited` rejects.
   * `nodeArgs` go to node before the script (e.g. `--require` of a resolver hook).
   */
  constructor(script: string, env: Record<string, string> = {}, boundMs = 15_000, nodeArgs: readonly string[] = []) {
    if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build:sample\` first`);
    this.#child = spawn(process.execPath, [...nodeArgs, script], {
      env: { ...process.env, ...env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const raw of parts) this.#line(stripVTControlCharacters(raw));
    };
    this.#child.stdout!.on('data', onData);
    this.#child.stderr!.on('data', onData);
    let overstayed = false;
    this.#guard = setTimeout(() => {
      overstayed = true;
      this.#child.kill('SIGKILL');
    }, boundMs);
    this.exited = new Promise((resolve, reject) => {
      this.#child.on('exit', (code, signal) => {
        clearTimeout(this.#guard);
        if (buffered) this.#line(buffered);
        if (overstayed) reject(new Error(`worker did not exit within ${boundMs}ms; output:\n${this.output}`));
        else resolve({ code, signal, ms: performance.now() - this.#signalledAt });
      });
    });
    this.exited.catch(() => undefined); // surfaced by the test that awaits it
  }

  get output(): string {
    return this.lines.join('\n');
  }

  /** Resolves with the first line (already seen or to come) matching `re`. */
  waitFor(re: RegExp, timeoutMs = 10_000): Promise<string> {
    const seen = this.lines.find((l) => re.test(l));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line matching ${re} within ${timeoutMs}ms; output:\n${this.output}`)), timeoutMs);
      this.#waiters.push({ re, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      const onExit = (): void => {
        // Rejects only if still waiting: a line that came just before exit has already resolved it.
        setImmediate(() => {
          clearTimeout(timer);
          reject(new Error(`worker exited before a line matching ${re}; output:\n${this.output}`));
        });
      };
      void this.exited.then(onExit, onExit); // also when killed for outstaying its bound: no timer left behind
    });
  }

  signal(signal: NodeJS.Signals): void {
    this.#signalledAt = performance.now();
    this.#child.kill(signal);
  }

  /** Kills the worker if it is still running (for afterEach). */
  dispose(): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
    clearTimeout(this.#guard);
  }

  /** Index of the first line matching `re`, for order assertions (-1 if none). */
  indexOf(re: RegExp): number {
    return this.lines.findIndex((l) => re.test(l));
  }

  #line(line: string): void {
    this.lines.push(line);
    this.#waiters = this.#waiters.filter((w) => (w.re.test(line) ? (w.resolve(line), false) : true));
  }
}
