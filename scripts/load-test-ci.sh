#!/usr/bin/env bash
# The pipeline's load-test job, runnable anywhere: starts the built engine (dev auth, Postgres
# store at DATABASE_URL, or the embedded store without it) on a free loopback port, waits for
# /readyz, runs the seed's k6 scenario ported to @leviathan/loadgen (examples/load-test/src/ci.ts,
# with thresholds) and keeps its NDJSON time series, summary and JUnit report in reports/load-test/.
# Exit code: the load generator's (0 passed, 99 a threshold failed; see docs/loadgen.md).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$PWD/reports/load-test"
mkdir -p "$out"
port="${LOAD_TEST_PORT:-18080}"

export LEVIATHAN_HOST=127.0.0.1
export LEVIATHAN_PORT="$port"
export LEVIATHAN_AUTH_MODE=dev
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
for _ in $(seq 1 300); do
  if ! kill -0 "$engine" 2>/dev/null; then
    echo "[load-test] the engine exited before it was ready:" >&2
    cat "$out/engine.log" >&2
    exit 1
  fi
  if node -e "fetch('http://127.0.0.1:$port/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then
    break
  fi
  sleep 0.2
done

status=0
LEVIATHAN_URL="ws://127.0.0.1:$port/ws" pnpm --filter @leviathan/example-load-test run load:ci \
  --out "json=$out/load-test.ndjson" --summary-export "$out/summary.json" --out "junit=$out/junit.xml" || status=$?
stop_engine
trap - EXIT
echo "[load-test] load generator exit code $status; outputs in $out"
exit "$status"
