#!/usr/bin/env bash
# Installs an APT repository's key as a keyring of its own (for a `signed-by` source line), after
# checking it against the fingerprint its vendor publishes: a key fetched over HTTPS is only as
# good as the server that served it.
#   bash scripts/apt-keyring.sh <keyring path> <key URL> <fingerprint, 40 hex digits>
set -euo pipefail
keyring=$1 url=$2 expected=$3
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
curl -fsSL "$url" | gpg --dearmor --yes -o "$tmp"
# A file of several keys would slip a second one past a check of the first: exactly one.
mapfile -t found < <(gpg --show-keys --with-colons "$tmp" 2>/dev/null | awk -F: '$1 == "pub" { pub = 1; next } pub && $1 == "fpr" { print $10; pub = 0 }')
if [ "${#found[@]}" -ne 1 ] || [ "${found[0]}" != "$expected" ]; then
  echo "[apt-keyring] $url: key ${found[*]:-none} is not the published $expected" >&2
  exit 1
fi
install -m 0644 "$tmp" "$keyring"
