#!/usr/bin/env bash
# Builds the release archive the Ansible roles deploy: a self-contained package directory made by
# `pnpm deploy --prod` (the package's files and its production node_modules), tarred.
#
#   infrastructure/build-release.sh mud               -> dist/leviathan-mud-<version>.tar.gz
#   infrastructure/build-release.sh engine            -> dist/leviathan-engine-<version>.tar.gz
#   infrastructure/build-release.sh loadgen           -> dist/leviathan-loadgen-<version>.tar.gz
#   infrastructure/build-release.sh mud OUT tar       -> OUT/leviathan-mud-<version>.tar (no gzip)
#
# `mud` is what the leviathan-engine role deploys by default: @leviathan/mud (its game module, the
# browser client in web/) with its production node_modules, the engine among them
# (node_modules/@leviathan/engine/bin/leviathan.js). `engine` is the engine alone, for a game of
# your own added to it.
#
# Run it after `pnpm build` (CI's build stage), from anywhere in the repository. It prints the
# archive's path. Native modules are those of this machine: the one uWebSockets.js platform
# package that matches it (@leviathan/uws-<os>-<cpu>, binaries for Node 20, 22 and 24; build on the
# servers' OS and CPU, with their glibc: Debian 13 for Node 22/24); the MUD's
# optional better-sqlite3 is built for this machine's Node, and a server on another line skips it
# for Node's built-in node:sqlite (docs/persistence.md).
set -euo pipefail
package=${1:?usage: build-release.sh mud|engine|loadgen [OUT_DIR] [tar.gz|tar]}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${2:-$root/dist}
format=${3:-tar.gz}
case "$package" in mud | engine | loadgen) ;; *) echo "unknown package: $package" >&2; exit 2 ;; esac
case "$format" in tar.gz | tar) ;; *) echo "unknown format: $format" >&2; exit 2 ;; esac
# The files the release runs (the bin's, the game's): a release without them would deploy and
# never start.
case "$package" in
  mud) entries="packages/engine/dist/cli/main.js packages/mud/dist/game/mud-game.js" ;;
  engine) entries=packages/engine/dist/cli/main.js ;;
  loadgen) entries=packages/loadgen/dist/cli.js ;;
esac
for entry in $entries; do
  if [ ! -f "$root/$entry" ]; then
    echo "$entry is missing: run pnpm build first" >&2
    exit 1
  fi
done
version=$(node -p "require('$root/packages/$package/package.json').version")
mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
(cd "$root" && npm_config_nodedir=${npm_config_nodedir:-/usr} \
  pnpm --filter "@leviathan/$package" deploy --prod "$stage/release" >/dev/null)
archive="$out/leviathan-$package-$version.$format"
if [ "$format" = tar ]; then tar -C "$stage/release" -cf "$archive" .; else tar -C "$stage/release" -czf "$archive" .; fi
echo "$archive"
