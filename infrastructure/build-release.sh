#!/usr/bin/env bash
# Builds the release archive the Ansible roles deploy: a self-contained package directory made by
# `pnpm deploy --prod` (the package's files and its production node_modules), tarred.
#
#   infrastructure/build-release.sh engine            -> dist/leviathan-engine-<version>.tar.gz
#   infrastructure/build-release.sh loadgen           -> dist/leviathan-loadgen-<version>.tar.gz
#   infrastructure/build-release.sh engine OUT tar    -> OUT/leviathan-engine-<version>.tar (no gzip)
#
# Run it after `pnpm build` (CI's build stage), from anywhere in the repository. It prints the
# archive's path. Native modules (uWebSockets.js, better-sqlite3) are those of this machine: build
# on the OS and Node major the servers run (Debian 12 / Node 20 here).
set -euo pipefail
package=${1:?usage: build-release.sh engine|loadgen [OUT_DIR] [tar.gz|tar]}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${2:-$root/dist}
format=${3:-tar.gz}
case "$package" in engine | loadgen) ;; *) echo "unknown package: $package" >&2; exit 2 ;; esac
case "$format" in tar.gz | tar) ;; *) echo "unknown format: $format" >&2; exit 2 ;; esac
# The file the package's bin runs: a release without it would deploy and never start.
case "$package" in engine) entry=dist/cli/main.js ;; loadgen) entry=dist/cli.js ;; esac
if [ ! -f "$root/packages/$package/$entry" ]; then
  echo "packages/$package/$entry is missing: run pnpm build first" >&2
  exit 1
fi
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
