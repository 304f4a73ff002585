import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type Baseline, type BaselineCase, readBaseline } from './baseline.js';
import { biomeFormat } from './biome-format.js';
import { readHistory, trendOf } from './history.js';
import { paths } from './paths.js';
import { SPREAD_FACTOR, suiteOfCase, TOLERANCE_FLOOR, TOO_NOISY } from './tolerance.js';

/** What each suite measures; the figures come from benchmarks/baseline.json. */
const SUITES: Record<string, string> = {
  protocol:
    'The wire codec (`@leviathan/protocol`): `decodeFrame` (parse + validate) of each client message against bare `JSON.parse` of the same line, `encodeMessage` against bare `JSON.stringify`, the `LineSplitter` against a bare `indexOf` loop, and the error path (a rejected line). Variants kept side by side (`src/protocol/variants/`).',
  shard:
    'The shard thread, in process (`packages/engine/src/shard`). **Tick**: one `Shard.tick()` that reads 200 `echo` commands from its input ring, runs them and leaves the output batch, against the bare work those commands need (split the line, build and `JSON.stringify` each reply). **Broadcast fan-out**: `ctx.toRoom` to 100 players (the message encoded once, one string index per recipient) against encoding the message once per recipient, as a naive server does. Each asserts the output (every reply, every recipient) before timing.',
  ipc: 'Gateway-to-shard input (`packages/engine/src/gateway/input-router.ts`, `ipc/input-ring.ts`): 200 commands from players on 2 shards written into each shard’s shared-memory input ring and read back record by record, against one `postMessage` of one object per command over real `MessageChannel`s; the previous design (a flat-array batch per shard posted once per tick) is kept as a variant. Every side receives synchronously (`receiveMessageOnPort`), so the figure is the whole write, post and read cost. It asserts that every record arrives, in order, at its shard.',
  macro:
    'End to end with our load generator (`@leviathan/loadgen`, one worker thread) against the engine in its own process (its default thread counts for the machine: on the 2-core VM of these runs, one gateway thread and one shard; an echo game: `src/macro/echo-game.ts`; the default 10 Hz), run as users run it: compiled JavaScript on plain `node`, the engine from its built `dist/`, no loader (`src/macro/compiled-server.ts`: tsx’s loader added CPU to every process, the reference’s as much as the engine’s, and flattered the ratio: the echo at the tick cost 26.7–48.3 µs/cmd under tsx, 25.0–30.0 compiled), with one flag, `--no-memory-reducer`, on both servers (`src/harness/server-node-flags.ts`: the main thread’s isolate then follows the engine’s own default, which reaches only the threads the engine starts; left on, that isolate ran two full collections about 8 s after the logins, inside the window, and main and V8’s helper threads cost 1.1–6.9 µs per command on Node 22 against 0.7–0.9 with the flag, 7 windows each) and, where a reference compares, against a raw uWebSockets.js echo server driven the same way in the same run (`src/macro/`). **Server CPU per command** (the gate) at a fixed open-model rate every server meets (2,000 commands/s over 800 sessions), measured over 6 s after a 15 s warm-up (the engine’s steady state: after 4 s, V8 is still compiling it), in three rounds that each run the echo answering at once, the echo answering at the engine’s tick (each socket’s replies held until the tick, then written under one cork) and the engine, in an order that rotates, the round with the median ratio kept: all do the same work per second, so their CPU per command compares where their throughputs would not. The gate compares the engine with the echo answering at the same tick, because answering a tick later costs any server in TCP: a reply no longer carries the ACK of its request, so the kernel sends one of its own (`nstat` over 4 s at this load: 16,300 segments answering at once, 32,200 at a 10 Hz tick), and the echo’s own CPU per command rose 1.1–1.5× with it. The echo at the tick against the echo at once is informational; the engine against the echo answering at once stays gated by its older baseline until the comparison at the tick has one of its own. Where the engine’s CPU per command goes beyond the echo’s (per-thread CPU from `/proc/<pid>/task/*/schedstat`, `src/macro/thread-cpu-probe.ts`; `perf record` and `perf trace` at this load): its gateway thread makes the same system calls per command as the echo (one `recvfrom`, one `sendto`, about one `epoll_pwait`), its kernel time matched the echo’s to 1 %, and the thread as a whole cost 1.1–1.25× the echo’s process; a shard thread’s CPU is nearly all per tick rather than per command (two shards added 65–90 ms per 6 s at 2,000 and at 4,000 commands/s, 40–55 ms at 20/s), so the engine’s default no longer runs a shard per core but leaves a core to each gateway thread: on this VM one shard instead of two, which took the engine from 36.4–43.1 to 28.4–35.5 µs per command (its shard 2.4–2.6 µs, each of two 2.6–3.2), because on the 2-core VM of these runs a worker thread that wakes at 10 Hz and does nothing else costs 150–230 µs of CPU per wake on a timer (run as the engine runs, without V8’s memory reducer), 80–140 µs blocked in `Atomics.wait` between wakes, and as much as on a timer once it also gives its event loop one turn per wake, which a shard needs for its control messages, job results and a game’s asynchronous work (`src/macro/idle-wake-probe.ts`). With two shards, at 4,000 commands/s, the same comparison read 1.23–1.44×. **The crowd**: 12,000 sessions log in (1,000 a second; every one must), the engine’s **JavaScript heap per player** (every thread, the smallest reading over 20 s, before and with all of them idle) is compared with a fixed 4 KB per player (the echo server’s 0.3–1 KB of RSS per socket was within the megabytes RSS drifts by, and moved that ratio 6–27× between runs; the engine’s own RSS drops by tens of megabytes at moments of V8’s and malloc’s choosing, so RSS per player is informational), then they send 1,000 commands/s in total, spread evenly over all of them, and the **tick p99** over a 40 s window (from the engine’s `/metrics` histogram: the difference between two scrapes, interpolated in its bucket) is judged against the requirement, 10 % of the tick interval. Informational: round trips per second at a fixed concurrency (100 sessions × 16 in flight, 20 Hz: the engine answers at its ticks, so its rate is capped at 32,000/s while the echo’s moves with the client), and the tick p99 at the fixed rate. Both processes of the crowd hold 12,000 sockets, under the 20,000 open-files limit of one process.',
  crowd:
    'A crowd at the spawn point (`src/crowd/`): the MUD (`@leviathan/mud` on the example world, 2 shards, 10 Hz, in its own process) while 3,000 players driven by our load generator log in to one room over 30 s and each sends a command a second (`look`, `who`, `inventory`; half of them with structured events). The command p99 once the crowd formed against two tick intervals (the gate: every command answered within two ticks) and against one player alone in that room earlier in the same run; the command p99 while the crowd logs in; server RSS per player once the crowd formed against the 4 KiB idle budget; and the instructions per recipient of a room broadcast (toRoom, the output batch, its structured clone, the gateway’s grouping by socket; counted by valgrind) at 100, 1,000 and 3,000 occupants against 10.',
  mud: 'The MUD macro benchmark (`src/mud/`): the MUD (`@leviathan/mud` on the Drowned Coast, its zones on 2 shards as the world says, 10 Hz, in its own process, no store) while players driven by our load generator (two worker threads) log in at the harbour (shard 0), 250 a second, and play, a command every 5 s each on average: each walks to a room of the marsh or the forest (shard 1: every room there, round-robin), one move per command, looks, talks (`say`), sizes up a rat and fights it (`consider`, `kill`, then `recall` until the fight is over; 4 weak rats added to each of those rooms in a copy of the world, since the Drowned Coast has one creature of each kind; fights seeded with `combatSeed`) and goes home (`recall`). After every player is in and 30 s more, over a 30 s window: the **tick p99** (the server’s `/metrics` histogram, every shard) against the tick interval (a ceiling, judged) and against 10 % of it (the engine’s requirement, informational until the MUD meets it), and the **command p99** (the load generator’s round trips) against 5 tick intervals (a ceiling, judged) and 2 (the crowd’s requirement, informational); the command p99 while the players log in, informational. 5,000 players by default (`LEVIATHAN_BENCH_MUD_PLAYERS`, 1 to 15,000; 1,000 until fights swung on their own clocks and 5,000 held on this machine). On the shared 2-core machine busy with other work (load average 5–11), one run each gave a tick p99 of 15 ms and a command p99 of 134 ms at 300 players, 40 ms and 205 ms at 1,000, 156 ms and 921 ms at 2,000, and 244 ms and 2.6 s at 5,000 (every command answered, every player kept, but not within the requirements). On the same machine quiet (load average under 2.5), 5,000 players gave, over 3 runs, a tick p99 of 22.5–23.8 ms (median 22.8; in one of them shard 0: 10.0 ms, shard 1, where the fights are: 25.0 ms) and a command p99 of 125–164 ms (median 131), about 990 commands a second answered and none lost, some 3,300 fights in each window (the accepted figures below): the command requirement of two ticks met, the tick requirement of 10 % not. Shard 1 holds about 4,500 of the 5,000 players; in an earlier run timed per phase, its ticks over 8 ms split between the commands (2–13 ms, most of it talk fanned out to crowded rooms), the systems (1–11 ms), the tick’s batches taken (up to 10 ms) and posted to the gateways and main (up to 10 ms). 1,000 players (`LEVIATHAN_BENCH_MUD_PLAYERS=1000`) gave 9.4 ms and 103 ms.',
  store:
    'Persistence (`src/store/`): the write-behind (ingest of a state batch, then a flush of versioned, batched UPSERTs) against a bare bulk upsert of the same 2,000 characters — postgres.js’s bulk helper for Postgres, a prepared better-sqlite3 statement in one transaction for the embedded store — single rounds of each side alternating (41 measured pairs after 4 warm-up rounds), the pair with the median ratio kept. The gate is **CPU per save**: this process plus, for Postgres, every process of the benchmark’s own throwaway cluster (from `/proc/<pid>/schedstat`), which the other work on a shared machine inflates less than wall time; autovacuum is off on that cluster and both tables are vacuumed between pairs, untimed. Wall-clock saves per second are kept as informational. The embedded store’s open time and RSS are judged against their budgets (ready in under a second, under 50 MB).',
  adversarial:
    'Bad input from anyone (`src/adversarial/`): 1,000,000 hand-made adversarial frames (truncated JSON, huge frames and lines, deep nesting, invalid UTF-8, binary frames, prototype keys, wrong types in every field, unknown types, too many lines per frame, WebSocket protocol violations, ping floods, valid commands over the rate limit, auth spam, connections dropped at every stage) from several loopback addresses, in 5 rounds, against the engine in its own process (production limits, 10 Hz, 2 shards), while 16 well-behaved players play. The figure is their command round-trip p99 during the flood, judged as a budget against twice their p99 in the quiet windows between rounds; the suite fails if a player loses a reply or its connection, or the server stops answering.',
  transport:
    'The gateway’s two transports, end to end (`src/transport/`): the engine in its own process (the macro suite’s server process: the engine’s default threads, its echo game, here at 20 Hz) on the **node** transport (Node’s `http` + `ws`, for where the native uWebSockets.js does not load) against the same engine on the **uws** transport, driven by the same closed loop of `ws` clients (100 sessions × 4 commands in flight, the same commands per second on both), uws and node alternately three times, the pair with the median ratio kept: **server CPU per command**, every thread of the process. Informational: it prices the node transport, which runs only where uWS cannot (docs/node-support.md).',
  cluster:
    'One world over two nodes (`src/cluster/`): two `leviathan serve` processes of the echo game (one shard and one gateway thread each, 10 Hz) on a throwaway Redis and Postgres, and 1,000 commands/s over 400 sessions connected to the first node, their players all in a zone of the first node (local) or all in a zone of the second (remote: each command crosses the bus to the other node and its reply comes back), in 3 rounds alternating local and remote, each figure the median of its rounds. **CPU per command**, both nodes’ every thread, remote against twice local, and the **round-trip p99**, remote against local plus one tick, are the requirements, judged as budgets; the remote CPU against the local and Redis’s share are informational. Needs `redis-server` (Debian’s `redis-server` package) beside Postgres’s binaries. The cluster’s other figures (memory per player, handoff, drain) are probes, in docs/cluster.md.',
  dashboard:
    'Watching an engine (`src/dashboard/`): the engine in its own process (the macro suite’s server, `dashboard.enabled`, 10 Hz) with 10,000 players logged in and idle (our load generator, 1,000 logins a second), read once a second by a Prometheus-like scrape of `/metrics` and by the `/dashboard` page’s poll of its data, against the same engine with the same players and nobody watching, in the same run: 10 s windows, watched and quiet in alternating order over 5 rounds (with 3, one GC landing in a window moved the median by ±0.3% of a core), each the engine process’s CPU time (every thread, `/proc/<pid>/task/*/schedstat`); the polling starts 3 s before a watched window opens, so that the window measures watching under way rather than the dashboard sampler’s start, and the quiet window starts after the sampler has gone idle (5 s after its last read). **The cost of watching**, watched minus quiet in percent of one core, is judged against the requirement of 1%; the engine at rest is informational. The run prints where the difference went, thread by thread: most of it on the main thread, which merges every thread’s metrics; sharing one scrape between `/metrics` and the dashboard (`server/latest-scrape.ts`) took it from 0.71–0.95% to 0.59–0.74%.',
  loadgen:
    'The load generator itself, written by its engineer (`src/loadgen/`): round trips per CPU-second of `@leviathan/loadgen` against a minimal hand-written `ws` client loop, and its memory per open connection, against the same uWebSockets.js server; and its capacity: one process holding 19,000 connected VUs through a 300 ms server stall that must show in its results (`src/loadgen/capacity.ts`). Memory per idle VU is the RSS difference between 1,000 and 5,000 idle VUs, each in a process of its own (from 1,000 to 3,000, as until 2026-12-06, it missed a step of the old space’s growth and read 11.0-16.1 KB where the wider window reads about 19: docs/loadgen.md). The rows against the ws loop were re-recorded on 2026-12-06 with the generator’s workers capping their young generation; the ws loop’s own figures move by a third between runs of one recording (its round trips per CPU-second read 34,000 to 45,000), which the tolerances take from the runs’ spread. Since 2026-12-07 the round-trip runs put the server and the client each on a core of its own where the machine has two and `taskset` runs (`PINNED_CPUS` in `src/loadgen/child-process.ts`): left to the scheduler, the ws loop’s CPU per round trip read 19.2, 37.0 and 20.0 µs in 3 runs of one session; pinned, 17.6-18.2 µs.',
};

const fmt = (n: number) =>
  Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toPrecision(3);

/** How a case is judged, in words: the gate column of the figures tables. */
function gateCell(c: BaselineCase): string {
  if (c.gate === 'info') return 'informational';
  if (c.gate === 'budget') return 'budget: ratio ≤ 1';
  if (c.tolerance === undefined) return '';
  const pct = `+${Math.round(c.tolerance * 100)}%`;
  const spread = c.min !== undefined && c.max !== undefined && c.ratio > 0 ? (c.max - c.min) / c.ratio : 0;
  switch (c.toleranceRule) {
    case 'hand':
      return `${pct}, by hand`;
    case 'spread':
      return `${pct} = ${SPREAD_FACTOR} × ${(spread * 100).toFixed(1)}% spread`;
    case 'floor':
      return `${pct} (floor; ${SPREAD_FACTOR} × spread = ${Math.ceil(SPREAD_FACTOR * spread * 100)}%)`;
    default:
      return `${pct} (recorded before the spread rule)`;
  }
}

function figuresTable(baseline: Baseline, suite: string): string[] {
  const names = Object.keys(baseline.cases).filter((n) => suiteOfCase(n) === suite);
  if (names.length === 0) return ['_No accepted figures yet._'];
  const caseName = (name: string) =>
    name.startsWith(`${suite}:`) ? name.slice(suite.length + 1).trim() : name;
  const lines = [
    '| case | value | reference | ratio (median) | runs: min–max | gate |',
    '| --- | --: | --: | --: | --: | --- |',
  ];
  const notes: string[] = [];
  for (const name of names) {
    const c = baseline.cases[name] as BaselineCase;
    const range =
      c.runs !== undefined && c.min !== undefined && c.max !== undefined
        ? `${c.runs}: ${c.min.toFixed(2)}–${c.max.toFixed(2)}`
        : '1';
    lines.push(
      `| ${caseName(name)} | ${fmt(c.value)} ${c.unit} | ${fmt(c.reference)} ${c.unit} | ${c.ratio.toFixed(2)}x | ${range} | ${gateCell(c)} |`,
    );
    if (c.gate === 'info' || c.gate === 'budget')
      notes.push(
        `- _${caseName(name)}_ is ${c.gate === 'info' ? 'informational' : 'judged against its budget'}: ${c.gateReason ?? 'no reason given.'}`,
      );
    if (c.toleranceRule === 'hand')
      notes.push(`- _${caseName(name)}_: tolerance set by hand: ${c.toleranceReason ?? 'no reason given.'}`);
    if (c.tolerance !== undefined && c.tolerance > TOO_NOISY)
      notes.push(
        `- _${caseName(name)}_: too noisy to catch a doubling (tolerance above +${TOO_NOISY * 100}%): its measurement needs steadying.`,
      );
  }
  return notes.length === 0 ? lines : [...lines, '', ...notes];
}

interface CountedBaseline {
  recordedAt: string;
  commit: string;
  cases: Record<string, { subject: number; reference: number; ratio: number; tolerance: number }>;
}

/** docs/benchmarks.md from the committed baseline(s) and history: a pure function of those files. */
export function renderBenchmarksDoc(): string {
  const baseline = readBaseline(paths.baseline);
  const history = readHistory(paths.history);
  const counted = existsSync(paths.countedBaseline)
    ? (JSON.parse(readFileSync(paths.countedBaseline, 'utf8')) as CountedBaseline)
    : undefined;
  const out: string[] = [
    '<!-- Generated by `pnpm bench:docs` (and `pnpm bench --update-baseline`) from benchmarks/baseline.json, benchmarks/baseline-instructions.json and benchmarks/history.ndjson. Do not edit: test/benchmarks-doc.test.ts fails when it is stale. -->',
    '',
    '# Benchmarks',
    '',
    'Speed is a checked property of every change. Every figure is a **ratio** to a reference measured in the same run (bare `JSON.parse`, a raw uWebSockets.js echo server driven by the same client, a bare postgres.js bulk insert), so a figure holds across machines where absolute numbers do not. A ratio above 1 is always worse than the reference: slower, or more memory.',
    '',
    '## How to run',
    '',
    '```sh',
    'pnpm bench                      # every suite, gated against benchmarks/baseline.json',
    'pnpm bench protocol shard       # only the suites named (folders of benchmarks/src)',
    'pnpm bench --no-gate            # measure and print only',
    'pnpm bench --update-baseline    # record: 5 interleaved runs of every suite; baseline, history line, this page',
    'pnpm bench --update-baseline --runs 9   # more runs, a steadier median and spread',
    "pnpm bench macro --runs 11 --no-gate    # measure a suite's spread without recording it",
    'pnpm bench:counted              # the instruction-count gate (valgrind), deterministic',
    'pnpm bench:docs                 # regenerate this page from the committed files',
    'BENCH_TIME_MS=300 BENCH_ROUNDS=21 pnpm bench   # longer, steadier micro rounds',
    'LEVIATHAN_BENCH_MUD_PLAYERS=1000 pnpm bench mud --no-gate   # the MUD macro benchmark at 1,000 players (default 5,000)',
    "LEVIATHAN_BENCH_CPU_PROF_DIR=/tmp/prof pnpm bench mud --no-gate   # and a CPU profile of each of its server's threads (main, gateways, shards) in /tmp/prof",
    "LEVIATHAN_BENCH_PERF_MAP=1 pnpm bench macro --no-gate   # servers with --perf-basic-prof: `perf record -g -p $(pgrep -f macro/server-process)` names their JavaScript beside the kernel's and V8's own work",
    "LEVIATHAN_BENCH_SERVER_FLAGS=--max-semi-space-size=1 pnpm bench macro --no-gate   # Node flags for the servers alone (here: V8's young generation capped, which takes RSS per idle player on Node 22 and 24 from 5.8 to 3.3 KB)",
    '```',
    '',
    'The table `pnpm bench` prints has, per case: value and reference (same run, same unit), their ratio, the range of the ratios when the case ran several times, the baseline ratio, the tolerance (or `budget`, `info`), and the verdict (`ok`, `REGRESSED`, `OVER BUDGET`, `faster` — accept it, so a stale slow baseline cannot hide a later regression — `new`, or `info`). The run is written to `benchmarks/results/latest.json`, with the load average.',
    '',
    '## The gates',
    '',
    '- **Timed gate** (`pnpm bench`, the GitLab `bench` job). Each case says how it is judged:',
    '  - **baseline** (most cases): it fails when its ratio exceeds `baseline × (1 + tolerance)`, the tolerance chosen from the spread of the recorded runs (below);',
    '  - **budget**: the reference is a fixed requirement (a tick p99 of at most 10 % of the tick interval, an embedded store ready in a second), and the case fails when its value exceeds it, whatever the baseline;',
    '  - **informational**: printed, recorded in the baseline, the history and this page, never failing: a figure whose reference is not comparable, such as round trips per second of an engine that answers at its tick (its rate is capped by the tick rate) against an uncapped echo server.',
    '',
    "  A case that fails is not judged yet: its suite runs twice more and the case's figure is the run with the median ratio of the three, so one disturbed run neither fails a build nor hides a real regression (which shows in every run).",
    '',
    `- **How each tolerance is chosen.** \`pnpm bench --update-baseline\` runs every suite ${'`--runs`'} times (default 5), interleaved (every suite, then every suite again), and records per case the median ratio and the range of the runs (min–max). The tolerance is **max(floor of the case's kind, ${SPREAD_FACTOR} × (max − min) / median)**, rounded up to a whole percent. Floors: +${TOLERANCE_FLOOR.micro * 100}% for micro suites (about 2.5 × the ±10% session-to-session noise of micro ratios on a shared 2-core machine), +${TOLERANCE_FLOOR.macro * 100}% for end-to-end suites, +${TOLERANCE_FLOOR.memory * 100}% for memory, +${TOLERANCE_FLOOR.tail * 100}% for tail latencies: runs recorded together share the machine's state of the moment and understate how far a run on another day moves, so the floor holds however close they were. Why ${SPREAD_FACTOR}: for normal noise of one run σ, the range of 5 runs is about 2.3σ, so the tolerance is about 3.5σ, while the gate compares the median of at most 3 runs with the median of 5 (the difference has an sd of about 0.86σ): 4 sd of margin, for the heavier tails of a shared machine. A tolerance set by hand in baseline.json (\`"toleranceRule": "hand"\` with a \`"toleranceReason"\`) is kept by \`--update-baseline\` and shown below with its reason. A case whose tolerance would exceed +${TOO_NOISY * 100}% cannot catch a doubling of its cost: the recording warns, and this page flags it.`,
    "- **One baseline per Node line.** Ratios move between Node lines by themselves (one `JSON.stringify` per recipient, the broadcast case's reference, takes about half as long on Node 22 and 24 as on Node 20, so that ratio goes from 0.076x to 0.12x with the broadcast's own cost unchanged). `benchmarks/baseline.json` and this page are the line `baseline.json` was recorded on (below); on another line `pnpm bench` judges against `benchmarks/baseline-node<major>.json`, and `--update-baseline` there writes that file alone (`bash scripts/node-line.sh 24 -- pnpm bench protocol --update-baseline --runs 3`). [Node support](node-support.md#benchmarks-on-node-22-and-24) gives the figures of the other lines.",
    '- **Instruction-count gate** (`pnpm bench:counted`, run by `.ci/run` and the GitLab `bench` job): wall-clock ratios on a machine shared with other jobs can swing far past any sane tolerance, so the check that must never flake counts instructions instead. The cases (`benchmarks/src/counted/cases.ts`: protocol decode against `JSON.parse`, encode against `JSON.stringify`, broadcast fan-out, a shard tick, input batching) are bundled into one plain JavaScript file and run by `node --predictable --single-threaded --predictable-gc-schedule --hash-seed=1 --random-seed=1` under `valgrind --tool=cachegrind --cache-sim=no`: one baseline run (setup, checks, warm-up of every case, then a full GC) and one run per case and side that continues with that side alone; the difference over the operations added is the steady-state instructions per operation, startup and warm-up cancel out. Two runs on the busy machine agreed to 0.02 % (without the fixed seeds, GC schedule and the GC before the measured region they differed by 12–20 %). Ratios gate at +10 %: the counts are exact, and 10 % leaves room for V8 heuristics (inlining budgets) that unrelated changes shift. Instructions are not time (cache misses, branch mispredictions and GC pauses on other threads are invisible), and the counted figures include the GC work the allocations cause, so they differ from the timed ratios; the timed gate still runs in the pipeline.',
    '- **History**: every accepted recording appends one line to `benchmarks/history.ndjson` (date, commit, the load average after each run, every median ratio and, per case, the runs and their range); the trend below comes from it.',
    '',
  ];
  out.push('## What each suite measures, and the latest accepted figures', '');
  if (baseline !== undefined) {
    out.push(
      `Accepted ${baseline.recordedAt.slice(0, 16).replace('T', ' ')} UTC at commit \`${baseline.commit}\` on ${baseline.machine.cpus} × ${baseline.machine.cpu}, Node ${baseline.machine.node}, 1-minute load average ${baseline.machine.loadAverage} during the recording${baseline.machine.loadAverages === undefined ? '' : ` (after each run: ${baseline.machine.loadAverages.join(', ')})`}. Per case: value and reference of the run with the median ratio, the median ratio, the number of runs and their range, and how the case is judged (for a baseline gate: its tolerance and the rule that chose it).`,
      '',
    );
  }
  const suiteNames = new Set([
    ...Object.keys(SUITES),
    ...Object.keys(baseline?.cases ?? {}).map(suiteOfCase),
  ]);
  for (const suite of suiteNames) {
    out.push(`### ${suite}`, '', SUITES[suite] ?? '_Not described yet._', '');
    out.push(
      ...(baseline === undefined ? ['_No accepted figures yet._'] : figuresTable(baseline, suite)),
      '',
    );
  }
  out.push('## Instruction counts (deterministic gate)', '');
  if (counted === undefined) out.push('_No accepted figures yet._', '');
  else {
    out.push(
      `Accepted ${counted.recordedAt.slice(0, 16).replace('T', ' ')} UTC at commit \`${counted.commit}\`.`,
      '',
      '| case | subject (instructions/op) | reference (instructions/op) | ratio | tolerance |',
      '| --- | --: | --: | --: | --: |',
    );
    for (const [name, c] of Object.entries(counted.cases)) {
      out.push(
        `| ${name} | ${Math.round(c.subject)} | ${Math.round(c.reference)} | ${c.ratio.toFixed(3)}x | +${Math.round(c.tolerance * 100)}% |`,
      );
    }
    out.push('');
  }
  out.push('## Trend', '');
  if (history.length === 0) out.push('_No accepted runs yet._', '');
  else {
    const recent = history.slice(-6);
    out.push(
      `Ratios of the last ${recent.length} accepted runs, oldest first (commits ${recent.map((h) => `\`${h.commit}\``).join(', ')}).`,
      '',
      '| case | ratios |',
      '| --- | --- |',
    );
    const names = [...new Set(recent.flatMap((h) => Object.keys(h.ratios)))].sort();
    for (const name of names)
      out.push(
        `| ${name} | ${trendOf(recent, name)
          .map((r) => r.toFixed(2))
          .join(' → ')} |`,
      );
    out.push('');
  }
  return out.join('\n');
}

/**
 * The page as it is committed: rendered, then formatted by the repository's biome (it aligns the
 * tables), so that `pnpm lint` accepts the generated file as it is.
 */
export function formattedBenchmarksDoc(): string {
  return biomeFormat(renderBenchmarksDoc(), 'docs/benchmarks.md');
}

export function writeBenchmarksDoc(): void {
  writeFileSync(paths.doc, formattedBenchmarksDoc());
}
