#!/usr/bin/env bash
# Smoke-tests what is actually shipped: `npm pack` of the built package, installed (as a real
# directory, never a link: toolchain.md pitfall 5) into throwaway consumer apps, run in plain Node
# as a CommonJS and as an ES module consumer, against Nest 12 and Nest 11. The Nest copies are the
# ones already installed (root and compat/nest11), linked in, so this needs no network.
set -u
cd "$(dirname "$0")/.."
root=$(pwd)
# Outside the repository, each app with its own package.json: inside the package's own scope, Node
# would resolve `nestjs-hosting` to this checkout (package self-reference) instead of the tarball.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm run -s build >/dev/null || { echo "smoke: build failed"; exit 1; }
tarball=$(npm pack --silent --pack-destination "$work" | tail -1)
passed=0; failed=0
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
[ -n "${HOSTING_SUMMARY_FILE:-}" ] && echo "$passed $failed 0" >> "$HOSTING_SUMMARY_FILE"
echo "smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
