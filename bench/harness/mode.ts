/**
 * Quick mode (the default) is a smoke test for CI: small sizes, few runs, done in seconds; the
 * numbers mean little. `--full` gives the real numbers, the ones RESULTS.md reports.
 */
export const FULL = process.argv.includes('--full');

/** The quick or the full value of a parameter. */
export function pick<T>(quick: T, full: T): T {
  return FULL ? full : quick;
}

/** Measured runs per contender: the issue asks for at least 5 in the real numbers. */
export const RUNS = pick(3, 7);
