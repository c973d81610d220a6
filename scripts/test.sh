#!/usr/bin/env bash
# `npm test`: everything CI checks, in one command, ending with the single line CI reads:
# "N passed, N failed". Typecheck, lint and builds count as one check each; the Jest runs
# (Nest 12 with the real-process tests, then Nest 11) and the packed-package smoke tests report
# their own counts through HOSTING_SUMMARY_FILE.
set -u
cd "$(dirname "$0")/.."
summary=$(mktemp)
trap 'rm -f "$summary"' EXIT
export HOSTING_SUMMARY_FILE="$summary"

# A check that is not a test runner: one passed or one failed.
check() {
  local name=$1; shift
  echo "── $name"
  if "$@"; then echo "1 0 0" >>"$summary"; else echo "── $name FAILED"; echo "0 1 0" >>"$summary"; fi
}
# A test runner that reports its own counts; if it died before reporting, count one failure.
suite() {
  local name=$1; shift
  echo "── $name"
  local before; before=$(wc -l <"$summary")
  "$@"; local rc=$?
  if [ "$rc" -ne 0 ] && [ "$(wc -l <"$summary")" -eq "$before" ]; then echo "── $name FAILED before reporting"; echo "0 1 0" >>"$summary"; fi
}

check "typecheck (tsc --noEmit, strict)" npx tsc -p tsconfig.json --noEmit
check "lint (typescript-eslint, no-floating-promises)" npx eslint lib test sample
check "format (prettier --check, print width 120)" npx prettier --check --log-level warn lib test sample bench scripts
check "build (library)" npm run -s build
check "build (sample and process fixtures)" npm run -s build:sample
suite "jest, Nest 12 (unit, e2e, real processes)" npx jest
suite "jest, Nest 11" npm run -s test:nest11
suite "smoke: packed package, CJS + ESM consumers, Nest 12 + 11" bash scripts/smoke.sh
# The benchmarks' quick mode, as a smoke test only: it must run to the end, not meet targets.
check "bench (quick mode: runs every subject; targets not enforced)" npm run -s bench

read -r passed failed skipped < <(awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}' "$summary")
echo
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
[ "$failed" -eq 0 ]
