#!/usr/bin/env bash
# The pipeline's load-test job, runnable anywhere: starts the built engine serving the MUD's
# Drowned Coast (examples/mud/world) on two shards, its zones placed as the world files say
# (harbour and cliffs on shard 0, forest and marsh on shard 1), with development logins and the
# Postgres store at DATABASE_URL (the embedded store without it), on a free loopback port; waits
# for /readyz; then runs, against it,
#   1. the Drowned Coast scenario (examples/load-test/src/drowned-coast.ts): pairs of players walk
#      across the shard border, look, talk and trade, with thresholds on command p99, errors and
#      checks; COAST_VUS (default 8, even) and COAST_DURATION (default 30s) set its size;
#   2. the seed's login scenario (examples/load-test/src/ci.ts, 7 s): connection and login churn,
#      which the Drowned Coast's long sessions do not exercise;
# and keeps each one's NDJSON time series, summary and JUnit report in reports/load-test/.
# Exit code: the Drowned Coast's when it failed (99: a threshold failed; see docs/loadgen.md), else
# the login scenario's (run through `pnpm --filter`, which reports any failure as 1).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$PWD/reports/load-test"
mkdir -p "$out"
port="${LOAD_TEST_PORT:-18080}"

export LEVIATHAN_HOST=127.0.0.1
export LEVIATHAN_PORT="$port"
export LEVIATHAN_AUTH_MODE=dev
export LEVIATHAN_GAME=@leviathan/mud/game
LEVIATHAN_GAME_OPTIONS="$(node -e 'console.log(JSON.stringify({ world: process.argv[1] }))' "$PWD/examples/mud/world")"
export LEVIATHAN_GAME_OPTIONS
# The placement the world asks for (each zone file's `shard`), read by the MUD itself, so that the
# scenario's walks cross from one shard thread to the other.
LEVIATHAN_ZONE_SHARDS="$(node --input-type=module -e "
  const { loadWorldSync, worldZoneShards } = await import('@leviathan/mud');
  console.log(JSON.stringify(worldZoneShards(loadWorldSync('examples/mud/world'))));")"
export LEVIATHAN_ZONE_SHARDS
export LEVIATHAN_SHARDS="${LOAD_TEST_SHARDS:-2}"
export LEVIATHAN_GATEWAY_THREADS=1
# One source address logs every VU in: the per-address login rate limit would refuse a load test.
export LEVIATHAN_AUTH_RATE_PER_SECOND=10000
export LEVIATHAN_AUTH_RATE_BURST=10000
export LEVIATHAN_LOG_LEVEL="${LEVIATHAN_LOG_LEVEL:-warn}"
if [ -n "${DATABASE_URL:-}" ]; then
  export LEVIATHAN_STORE_KIND=postgres
  export LEVIATHAN_STORE_URL="$DATABASE_URL"
else
  export LEVIATHAN_STORE_KIND=embedded
  export LEVIATHAN_STORE_DATA_DIR="$(mktemp -d)"
fi

node packages/engine/bin/leviathan.js serve >"$out/engine.log" 2>&1 &
engine=$!
stop_engine() {
  if kill -0 "$engine" 2>/dev/null; then
    kill -TERM "$engine"
    wait "$engine" || true
  fi
}
trap stop_engine EXIT

# Event-driven enough: poll /readyz every 200 ms for at most 60 s, and stop at once if it died.
ready=0
for _ in $(seq 1 300); do
  if ! kill -0 "$engine" 2>/dev/null; then
    echo "[load-test] the engine exited before it was ready:" >&2
    cat "$out/engine.log" >&2
    exit 1
  fi
  if node -e "fetch('http://127.0.0.1:$port/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then
    ready=1
    break
  fi
  sleep 0.2
done
if [ "$ready" != 1 ]; then
  echo "[load-test] the engine was not ready within 60 s:" >&2
  cat "$out/engine.log" >&2
  exit 1
fi

export LEVIATHAN_URL="ws://127.0.0.1:$port/ws"
coast_status=0
# The package's own bin rather than `pnpm --filter ... run`: pnpm reports any failure of a filtered
# run as 1, and the job's exit code should say what failed (99: a threshold).
(cd examples/load-test && node_modules/.bin/leviathan-load run src/drowned-coast.ts \
  --out "json=$out/drowned-coast.ndjson" --summary-export "$out/drowned-coast.summary.json" \
  --out "junit=$out/drowned-coast.junit.xml") || coast_status=$?
login_status=0
pnpm --filter @leviathan/example-load-test run load:ci \
  --out "json=$out/login.ndjson" --summary-export "$out/login.summary.json" \
  --out "junit=$out/login.junit.xml" || login_status=$?
stop_engine
trap - EXIT
echo "[load-test] exit codes: Drowned Coast $coast_status, login $login_status; outputs in $out"
if [ "$coast_status" != 0 ]; then exit "$coast_status"; fi
exit "$login_status"
