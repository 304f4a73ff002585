import { setFlagsFromString } from 'node:v8';

/**
 * Sets the V8 flags the server's configuration asks for, before its threads start: V8 reads them
 * when it sets up an isolate's heap, so they apply to every isolate created afterwards (the
 * gateway, shard and job threads), not to the main thread's, which already exists. They are
 * process-wide: a host's own worker threads created later get them too.
 *
 * The memory reducer is off unless `v8MemoryReducer` is set. V8 starts it when an isolate
 * allocates little (under about 1 MB/s) between collections, and a shard that runs a tick every
 * 100 ms and sleeps in between looks like that: it then runs up to three full collections in a row
 * to give memory back, and does so again a few seconds later. Measured with the macro suite's
 * server (2 shards, 800 sessions, 2,000 commands/s, 6 s windows after 15 s, `--trace-gc`), three
 * runs each, alternately: with the reducer, 4–7 full collections over the run and 47.5–62.5 µs of
 * server CPU per command; without, 1–3 (the main thread's, which only node's command line
 * reaches: `node --no-memory-reducer`) and 38.3–53.3 µs, medians 50.0 and 43.3. The price is
 * memory an idle server keeps: the heaps grow to what the load needs and stay there. In the macro
 * suite's crowd (12,000 idle players), RSS per player went from 0.7–2.3 KB to 4.14–4.20 KB; the
 * JavaScript heap per player from 2.75–3.32 KB to 2.56–2.85 KB.
 *
 * V8's garbage collector keeps its threads. Its four helper threads cost 3.4–5.1 µs per command
 * at the macro suite's fixed rate (benchmarks/src/macro/thread-cpu-probe.ts: 2,000 commands/s over
 * 800 sessions, 10 Hz, Node 22), for little work: each isolate scavenged once every 1.3–1.4 s
 * (`--trace-gc`), but a helper's every wake costs 150–230 µs on a 2-core VM. In alternating pairs
 * against the echo answering at the tick, `--single-threaded-gc` took the helpers to 0.1 µs and
 * added 2–4 µs to another thread; the engine's ratio read 0.99–1.62 (median 1.43, 8 pairs) against
 * 1.40–1.67 (median 1.54, 6 pairs) with the defaults, and `--no-parallel-scavenge` 1.03–1.77 with
 * the helpers still at 2.3–4.8 µs. A difference inside that spread does not justify moving the
 * marking and sweeping of every thread into its own pauses, which a shard takes out of its ticks.
 */
export function applyV8Flags(config: { readonly v8MemoryReducer: boolean }): void {
  setFlagsFromString(config.v8MemoryReducer ? '--memory-reducer' : '--no-memory-reducer');
}
