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

/** How to spawn a {@link SpawnedProcess}. */
export interface SpawnOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** In a process group of its own, killed whole by `dispose()` (for a process that starts others). */
  group?: boolean;
  /** Killed (and `exited` rejects) if still running after this long. */
  boundMs?: number;
}

/** A spawned process whose output the test reads line by line, with a time bound. */
export class SpawnedProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<Exit>;
  #child: ChildProcess;
  #waiters: Array<{ re: RegExp; resolve: (line: string) => void }> = [];
  #signalledAt = performance.now();
  #guard: NodeJS.Timeout;
  readonly #group: boolean;

  constructor(
    command: string,
    args: readonly string[],
    { env = {}, cwd, group = false, boundMs = 15_000 }: SpawnOptions = {},
  ) {
    this.#group = group;
    this.#child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: group,
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
      this.dispose();
    }, boundMs);
    this.exited = new Promise((resolve, reject) => {
      this.#child.on('error', reject);
      // 'exit', not 'close': a process orphaned by a group leader would hold the pipes open.
      this.#child.on('exit', (code, signal) => {
        clearTimeout(this.#guard);
        if (buffered) this.#line(buffered);
        if (overstayed) reject(new Error(`${command} did not exit within ${boundMs}ms; output:\n${this.output}`));
        else resolve({ code, signal, ms: performance.now() - this.#signalledAt });
      });
    });
    this.exited.catch(() => undefined); // surfaced by the test that awaits it
  }

  get pid(): number {
    return this.#child.pid!;
  }

  get output(): string {
    return this.lines.join('\n');
  }

  /** Resolves with the first line (already seen or to come) matching `re`. */
  waitFor(re: RegExp, timeoutMs = 10_000): Promise<string> {
    const seen = this.lines.find((l) => re.test(l));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no line matching ${re} within ${timeoutMs}ms; output:\n${this.output}`)),
        timeoutMs,
      );
      this.#waiters.push({ re, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      const onExit = (): void => {
        // Rejects only if still waiting: a line that came just before exit has already resolved it.
        setImmediate(() => {
          clearTimeout(timer);
          reject(new Error(`the process exited before a line matching ${re}; output:\n${this.output}`));
        });
      };
      void this.exited.then(onExit, onExit); // also when killed for outstaying its bound: no timer left behind
    });
  }

  /** Signals the process itself (never its group, as `docker stop` signals only its PID 1). */
  signal(signal: NodeJS.Signals): void {
    this.#signalledAt = performance.now();
    this.#child.kill(signal);
  }

  /** Kills the process if it is still running, and with `group` whatever it started (for afterEach). */
  dispose(): void {
    clearTimeout(this.#guard);
    if (this.#group) {
      try {
        process.kill(-this.pid, 'SIGKILL');
      } catch {
        // ESRCH: the group is already gone.
      }
    } else if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.kill('SIGKILL');
    }
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

/** A spawned node script (a worker, a sample, a fixture app). */
export class WorkerProcess extends SpawnedProcess {
  /**
   * Spawns `script`; if it is still running after `boundMs`, it is killed and `exited` rejects.
   * `nodeArgs` go to node before the script (e.g. `--require` of a resolver hook).
   */
  constructor(script: string, env: Record<string, string> = {}, boundMs = 15_000, nodeArgs: readonly string[] = []) {
    if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build:sample\` first`);
    super(process.execPath, [...nodeArgs, script], { env, boundMs });
  }
}
