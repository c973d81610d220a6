/**
 * Reproducible randomness for the reliability suite.
 *
 * Every spec file draws one seed: `RELIABILITY_SEED` when set, otherwise a fresh one, and prints it
 * once. Each test derives its own generator from that seed and its name, so a failing test can be
 * replayed alone (`RELIABILITY_SEED=<seed> npx jest test/reliability -t '<name>'`) and gets the
 * same draws whatever ran before it. Failures carry the seed in their message.
 */
export interface Random {
  /** The seed this generator was derived from (the file's seed). */
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** One element of `items`. */
  pick<T>(items: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** `items` in a random order (a copy). */
  shuffle<T>(items: readonly T[]): T[];
  /** An independent generator for `label`, stable whatever was drawn from this one. */
  fork(label: string): Random;
}

/** mulberry32: tiny, fast, and good enough to pick interleavings. */
function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** FNV-1a over `text`, mixed with `seed`. */
function hash(seed: number, text: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A generator for `seed`, forked for `label`. */
export function createRandom(seed: number, label = ''): Random {
  const next = mulberry32(hash(seed, label));
  const random: Random = {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
    shuffle: (items) => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j], copy[i]];
      }
      return copy;
    },
    fork: (child) => createRandom(seed, `${label}/${child}`),
  };
  return random;
}

let fileSeed: number | undefined;

/**
 * This spec file's seed: `RELIABILITY_SEED`, or a fresh one. Printed the first time it is asked
 * for, so every run's output says how to replay it.
 */
export function suiteSeed(file: string): number {
  if (fileSeed !== undefined) return fileSeed;
  const given = process.env.RELIABILITY_SEED;
  if (given !== undefined && !/^\d+$/.test(given))
    throw new Error(`RELIABILITY_SEED must be a non-negative integer, got "${given}"`);
  fileSeed =
    given !== undefined
      ? Number(given) >>> 0
      : (Date.now() ^ (process.pid << 16) ^ Math.floor(Math.random() * 0xffff)) >>> 0;
  console.log(`[reliability] ${file}: seed ${fileSeed} (replay with RELIABILITY_SEED=${fileSeed})`);
  return fileSeed;
}

/**
 * Runs `body` with the test's own generator; a failure is rethrown with the seed added to its
 * message, so the log of a red CI run says how to replay it.
 */
export async function seeded<T>(file: string, testName: string, body: (random: Random) => Promise<T>): Promise<T> {
  const seed = suiteSeed(file);
  try {
    return await body(createRandom(seed, testName));
  } catch (error) {
    if (error instanceof Error)
      error.message += `\n[reliability] seed ${seed}: replay with RELIABILITY_SEED=${seed} npx jest ${file} -t '${testName}'`;
    throw error;
  }
}
