#!/usr/bin/env bash
# Runs a command in a Debian 13 ("trixie", glibc 2.41) userland on this machine's kernel, on Node
# 22 or 24, where uWebSockets.js's native binaries for those lines load (they need glibc 2.38; this
# repository's CI machines run Debian 12, glibc 2.36, where the gateway falls back to Node's
# http + ws). For measuring and testing the native transport on every supported line, e.g.
#   sudo bash scripts/debian13.sh 22 -- node node_modules/vitest/vitest.mjs run packages/engine/test/transport-contract.test.ts
#   sudo bash scripts/debian13.sh 24 -- pnpm bench macro --no-gate
#
# The first run makes the userland with debootstrap (minbase and what the tests call: openssl,
# procps, git, tmux, Chromium), about two minutes and 1.8 GB, in $LEV_DEBIAN13_DIR (default
# ~/.cache/leviathan/debian13). LEV_DEBIAN13_PACKAGES names the Debian packages added to the base
# (default "tmux chromium", for the terminal and browser tests; "" for none: about a minute and
# 0.4 GB, enough for the transport suites); a later run asking for more installs them. Each run
# mounts, in a mount namespace of its own (so nothing stays mounted after it): /proc, /sys, /dev,
# this checkout and the Node lines' cache at their own paths, and the pnpm binary. Node comes
# from scripts/node-line.sh (which also builds better-sqlite3 for that line). Needs root (debootstrap, chroot, mount); installs Debian's debootstrap when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
checkout=$(pwd)

line=${1:?usage: debian13.sh <22|24> -- <command…>}
shift
[ "${1:-}" = "--" ] && shift
[ $# -gt 0 ] || { echo "[debian13] no command given" >&2; exit 2; }
if [ "$(id -u)" != 0 ]; then
  echo "[debian13] needs root: debootstrap, chroot and mount" >&2
  exit 2
fi

root=${LEV_DEBIAN13_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/leviathan/debian13}
node_bin=$(bash scripts/node-line.sh "$line" --print-node)
node_dir=$(dirname "$node_bin")
cache_dir=${LEV_NODE_LINES_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/leviathan/node-lines}
pnpm_bin=$(command -v pnpm || true)

# Runs a command in the userland, from this checkout's folder. The mounts live in a mount
# namespace of the command's own: they go when it ends, however it ends. This environment goes in
# (LEVIATHAN_* settings, CI), with the chosen Node first on PATH.
in_userland() {
  unshare --mount --propagation private -- bash -euo pipefail -c '
    root=$1 checkout=$2 cache_dir=$3 node_dir=$4 pnpm_bin=$5
    shift 5
    for d in proc sys dev dev/pts; do mkdir -p "$root/$d"; mount --bind "/$d" "$root/$d"; done
    for d in "$checkout" "$cache_dir"; do mkdir -p "$root$d"; mount --bind "$d" "$root$d"; done
    if [ -n "$pnpm_bin" ]; then
      touch "$root/usr/local/bin/pnpm"
      mount --bind "$pnpm_bin" "$root/usr/local/bin/pnpm"
    fi
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    exec chroot "$root" /usr/bin/env PATH="$node_dir:/usr/local/bin:/usr/bin:/bin" \
      bash -c "cd \"\$0\" && exec \"\$@\"" "$checkout" "$@"
  ' debian13 "$root" "$checkout" "$cache_dir" "$node_dir" "$pnpm_bin" "$@"
}

# Made in two steps, each redone until it has finished: debootstrap's base, then with apt the
# large tools the tests call (Chromium's dependency tree is apt's to resolve: debootstrap's
# --include resolves dependencies more simply, without virtual packages). .leviathan-ready lists
# the packages installed by the second step.
read -r -a packages <<<"${LEV_DEBIAN13_PACKAGES-tmux chromium}"
missing=()
for pkg in "${packages[@]}"; do
  grep -qxF "$pkg" "$root/.leviathan-ready" 2>/dev/null || missing+=("$pkg")
done
if [ ! -f "$root/.leviathan-ready" ] || [ ${#missing[@]} -gt 0 ]; then
  command -v debootstrap >/dev/null || {
    echo "[debian13] installing debootstrap" >&2
    { apt-get update -qq && apt-get install -y -qq debootstrap; } >/dev/null
  }
  log="$root.setup.log"
  if [ ! -f "$root/.leviathan-base" ]; then
    echo "[debian13] making a Debian 13 userland in $root (one to two minutes)" >&2
    if [ -d "$root" ] && [ -n "$(ls -A "$root")" ]; then
      echo "[debian13] $root exists but holds no finished userland: remove it and run again" >&2
      exit 1
    fi
    mkdir -p "$root"
    debootstrap --variant=minbase --include=openssl,ca-certificates,procps,git trixie "$root" \
      http://deb.debian.org/debian >"$log" 2>&1 || {
      tail -20 "$log" >&2
      exit 1
    }
    touch "$root/.leviathan-base"
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    echo "[debian13] installing in the userland: ${missing[*]}" >&2
    in_userland env DEBIAN_FRONTEND=noninteractive bash -c \
      'apt-get update -qq && apt-get install -y -qq "$@"' apt "${missing[@]}" >>"$log" 2>&1 || {
      tail -20 "$log" >&2
      exit 1
    }
  fi
  touch "$root/.leviathan-ready"
  [ ${#missing[@]} -eq 0 ] || printf '%s\n' "${missing[@]}" >>"$root/.leviathan-ready"
fi

in_userland "$@"
