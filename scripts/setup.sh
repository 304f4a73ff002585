#!/usr/bin/env bash
# Sets up a fresh checkout: pnpm at the pinned version, then the workspace's dependencies.
# Safe to run again. Used by the README's quick start and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

# The Node lines the packages support (`engines`): 20.19+, 22.13+, 24+. Other lines may install
# but are not tested; scripts/node-line.sh runs the suite on 22 or 24 beside the default node.
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit((a === 20 && b >= 19) || (a === 22 && b >= 13) || a >= 24 ? 0 : 1)'; then
  echo "[setup] warning: Node $(node --version) is not a supported line (20.19+, 22.13+, 24+)" >&2
fi

PNPM_VERSION=12.4.2
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "[setup] installing pnpm $PNPM_VERSION"
  npm install --global --allow-scripts=pnpm "pnpm@$PNPM_VERSION" >/dev/null 2>&1 ||
    npm install --global "pnpm@$PNPM_VERSION"
fi

# better-sqlite3 builds from source where its prebuilt binary cannot be downloaded; node-gyp then
# needs Node's headers. pnpm does not read npm's `nodedir` setting, so pass the local headers on.
if [ -z "${npm_config_nodedir:-}" ]; then
  node_prefix=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
  if [ -f "$node_prefix/include/node/node.h" ]; then
    export npm_config_nodedir="$node_prefix"
  fi
fi

echo "[setup] installing dependencies"
if [ "${CI:-}" = "true" ]; then
  pnpm install --frozen-lockfile
else
  pnpm install
fi
