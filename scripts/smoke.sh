#!/usr/bin/env bash
# Smoke-tests what a user actually gets: a fresh clone of the committed HEAD, packed by the real
# `npm pack` lifecycle (its prepack builds dist/), the tarball installed (as a real directory, never
# a link: toolchain.md pitfall 5) into throwaway consumer apps and run in plain Node as a CommonJS
# and as an ES module consumer, against Nest 12 and Nest 11. Packing a clone rather than this
# working tree means that nothing uncommitted or left over here (a stale dist/, an untracked source)
# can make it pass. The Nest copies are the ones already installed (root and compat/nest11), linked
# in, so this needs no network.
set -u
cd "$(dirname "$0")/.."
root=$(pwd)
# Outside the repository, each app with its own package.json: inside the package's own scope, Node
# would resolve `nestjs-hosting` to this checkout (package self-reference) instead of the tarball.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0; failed=0
report() {
  [ -n "${HOSTING_SUMMARY_FILE:-}" ] && echo "$passed $failed 0" >> "$HOSTING_SUMMARY_FILE"
  echo "smoke: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

[ -z "$(git status --porcelain -- lib package.json package-lock.json tsconfig.json tsconfig.build.json LICENSE)" ] \
  || echo "smoke: packing the committed HEAD $(git rev-parse --short HEAD); uncommitted changes to the package are not in it"
if ! git clone -q "$root" "$work/src"; then
  echo "smoke FAILED: git clone of $root"; failed=1; report; exit
fi
# The clone's build reuses the root's install when it was made from HEAD's lockfile: a second
# `npm ci` would cost about as much again as everything else here and need the registry.
if git diff --quiet HEAD -- package-lock.json; then
  ln -s "$root/node_modules" "$work/src/node_modules"
elif ! (cd "$work/src" && npm ci --no-audit --no-fund >"$work/ci.log" 2>&1); then
  echo "smoke FAILED: npm ci in the clone"; cat "$work/ci.log"; failed=1; report; exit
fi
if ! tarball=$(cd "$work/src" && npm pack --silent --pack-destination "$work" 2>"$work/pack.log" | tail -1) \
  || [ ! -f "$work/$tarball" ]; then
  echo "smoke FAILED: npm pack of the clone"; cat "$work/pack.log"; failed=1; report; exit
fi

for major in 12 11; do
  app="$work/nest$major"
  mkdir -p "$app/node_modules/nestjs-hosting" "$app/node_modules/@nestjs"
  tar -xzf "$work/$tarball" -C "$app/node_modules/nestjs-hosting" --strip-components=1
  nest="$root/node_modules/@nestjs"; [ "$major" = 11 ] && nest="$root/compat/nest11/node_modules/@nestjs"
  ln -s "$nest/common" "$app/node_modules/@nestjs/common"
  ln -s "$nest/core" "$app/node_modules/@nestjs/core"
  for dep in rxjs reflect-metadata; do ln -s "$root/node_modules/$dep" "$app/node_modules/$dep"; done
  cp test/smoke/consumer.cjs test/smoke/consumer.mjs "$app/"
  echo '{ "name": "smoke-consumer", "private": true }' > "$app/package.json"
  for consumer in consumer.cjs consumer.mjs; do
    if out=$(cd "$app" && node "$consumer" 2>&1) && grep -q "smoke ok" <<<"$out" && grep -q "Nest $major\." <<<"$out" \
      && (cd "$app" && node -e "process.exit(require.resolve('nestjs-hosting').startsWith(process.cwd()) ? 0 : 1)"); then
      echo "$out"; passed=$((passed + 1))
    else
      echo "smoke FAILED: $consumer on Nest $major"; echo "$out"; failed=$((failed + 1))
    fi
  done
done

# The tarball's contents, once (the same tarball is in both apps).
if out=$(cd "$work/nest12" && node "$root/test/smoke/package-contents.cjs" node_modules/nestjs-hosting 2>&1); then
  echo "$out"; passed=$((passed + 1))
else
  echo "smoke FAILED: package contents ($tarball)"; echo "$out"; failed=$((failed + 1))
fi
report
