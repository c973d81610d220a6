import { afterEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE, SpawnedProcess } from './spawn-worker';

// `npm start` as a container runs it (`CMD ["npm", "start"]`): the runtime signals npm, the only
// process it knows, and the worker must get that signal. npm forwards SIGTERM to the script's
// process, so the script must be the worker itself. A script such as `npm run build:sample && node
// …` keeps /bin/sh as that process, and dash (Debian's sh) dies of the SIGTERM without passing it
// on: npm exits and the worker runs on, orphaned. Even a lone `node …` is not enough under dash,
// which forks rather than execs a script's last command; hence `exec node …`.
const ROOT = join(__dirname, '..', '..');
const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

/**
 * `npm <args>` run in the repository, in a process group of its own so that everything it started
 * can be killed, including a worker it failed to stop.
 */
class NpmProcess extends SpawnedProcess {
  constructor(args: string[], boundMs = 15_000) {
    super('npm', args, { cwd: ROOT, group: true, boundMs });
  }
}

/** One `ps` field of a process. */
function ps(field: 'ppid' | 'args', pid: number): string {
  return execFileSync('ps', ['-o', `${field}=`, '-p', String(pid)], { encoding: 'utf8', timeout: 5_000 }).trim();
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let npm: NpmProcess | undefined;
afterEach(() => npm?.dispose());

describe('npm start (real processes)', () => {
  it('runs the worker as npm’s own child, so a SIGTERM sent to npm alone stops it gracefully', async () => {
    if (!existsSync(SAMPLE)) throw new Error(`${SAMPLE} is missing: run \`npm run build:sample\` first`);
    // --ignore-scripts skips prestart (the sample build, which scripts/test.sh has already run and
    // which would delete dist-sample under the other process tests) but still runs `start` itself.
    npm = new NpmProcess(['start', '--ignore-scripts']);
    const line = await npm.waitFor(/Worker running at/);
    const workerPid = Number(/\[Nest\] (\d+)/.exec(line)?.[1]);
    // Nothing between npm and node (on failure, the diff shows what is, e.g. `sh -c node …`).
    const ppid = Number(ps('ppid', workerPid));
    expect({ ppid, command: ps('args', ppid) }).toEqual({ ppid: npm.pid, command: ps('args', npm.pid) });

    npm.signal('SIGTERM');
    const exit = await npm.exited;
    // npm waits for the worker, then ends by the worker's signal, as the worker ends by the one it got.
    expect(exit).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(isRunning(workerPid)).toBe(false);
    expect(npm.output).toContain('Stopping hosted services (received SIGTERM)');
    expect(npm.output).toMatch(/Stopped hosted services in/);
    expect(exit.ms).toBeLessThan(2_000);
  });

  // The test above runs `start` without its prestart; these are what makes `npm start` on a fresh
  // clone build first, and keep every sample script as bare as `start`.
  it.each(Object.keys(scripts).filter((name) => name === 'start' || name.startsWith('sample:')))(
    '%s builds in its pre-script and then only execs node',
    (name) => {
      expect(scripts[`pre${name}`]).toBe('npm run build:sample');
      expect(scripts[name]).toMatch(/^exec node --enable-source-maps dist-sample\/sample\/[\w-]+\/main\.js$/);
    },
  );
});
