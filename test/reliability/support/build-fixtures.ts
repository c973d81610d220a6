import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const CONFIG = join(ROOT, 'test', 'reliability', 'tsconfig.reliability.json');
const SOURCES = ['lib', join('test', 'reliability', 'fixtures'), join('test', 'reliability', 'soak')];
const LOCK_STALE_MS = 120_000;

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}

/** A hash of everything the build reads, so an unchanged tree reuses the previous build. */
function sourceHash(): string {
  const hash = createHash('sha256');
  for (const config of [CONFIG, join(ROOT, 'tsconfig.json')]) hash.update(readFileSync(config));
  for (const source of SOURCES) {
    for (const file of [...files(join(ROOT, source))].sort())
      hash.update(relative(ROOT, file)).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Removes earlier builds (other source trees) left in the temp folder for more than an hour. */
function removeStaleBuilds(keep: string): void {
  const dir = tmpdir();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (path === keep || !/^nestjs-hosting-reliability-[0-9a-f]{16}$/.test(name)) continue;
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true });
  }
}

/**
 * Compiles the library and `test/reliability/fixtures` with tsc into a temp folder (once per
 * source tree: the folder is keyed by a hash of the sources, and reused while they do not
 * change), and returns where a fixture's `.js` is and the environment to run it with. Two Jest
 * workers asking at once share one build through a lock directory.
 */
export function buildFixtures(): { fixture(name: string): string; env: Record<string, string> } {
  const out = join(tmpdir(), `nestjs-hosting-reliability-${sourceHash()}`);
  const done = join(out, '.built');
  const lock = `${out}.lock`;
  const deadline = Date.now() + LOCK_STALE_MS;
  while (!existsSync(done)) {
    try {
      mkdirSync(lock);
    } catch {
      // Someone else is building: wait for them, unless their lock is stale (a killed run).
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > LOCK_STALE_MS)
        rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for the fixture build in ${out}`);
      sleepSync(100);
      continue;
    }
    try {
      rmSync(out, { recursive: true, force: true });
      const tsc = require.resolve('typescript/bin/tsc');
      try {
        execFileSync(process.execPath, [tsc, '-p', CONFIG, '--outDir', out], { cwd: ROOT, stdio: 'pipe' });
      } catch (error) {
        // Type errors are the typecheck's business; only a build with no output is fatal here.
        const output = (error as { stdout?: Buffer }).stdout?.toString() ?? String(error);
        if (!existsSync(join(out, 'test', 'reliability', 'fixtures')))
          throw new Error(`building the reliability fixtures failed:\n${output}`, { cause: error });
      }
      writeFileSync(done, new Date().toISOString());
      removeStaleBuilds(out);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return {
    fixture: (name) => join(out, 'test', 'reliability', 'fixtures', `${name}.js`),
    // The build lives outside the checkout: let it find the checkout's node_modules.
    env: { NODE_PATH: join(ROOT, 'node_modules') },
  };
}
