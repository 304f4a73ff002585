#!/usr/bin/env bash
# Lints each published package as npm will install it, not as it sits in the workspace: packed
# with `pnpm pack` (workspace: versions resolved, publishConfig.exports in place of the `source`
# condition), then `publint --strict` over the unpacked tarball and `attw` over the tarball, in
# every resolution mode (node10, node16 from CJS and from ESM, bundler). `attw --pack` would pack
# with npm, which applies neither, and so checks a manifest that is never published.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$PWD/node_modules/.bin"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for dir in packages/*/ packages/uws-prebuilt/*/; do
  [ -f "$dir/package.json" ] || continue
  dir=${dir%/}
  if [ "$(node -p "require('./$dir/package.json').private === true")" = true ]; then continue; fi
  name=$(node -p "require('./$dir/package.json').name")
  echo "[check-packages] $name"
  (cd "$dir" && pnpm pack --pack-destination "$out/$name" >/dev/null)
  tarball=$(ls "$out/$name"/*.tgz)
  mkdir -p "$out/$name/unpacked"
  tar xzf "$tarball" -C "$out/$name/unpacked"
  # --pack false: the unpacked tarball is exactly the published files.
  "$bin/publint" --strict --pack false "$out/$name/unpacked/package"
  "$bin/attw" --format table-flipped "$tarball"
done
