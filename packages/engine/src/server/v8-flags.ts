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
 * server CPU per command; without, 1–3 (the main thread's, which the flag cannot reach) and
 * 38.3–53.3 µs, medians 50.0 and 43.3. The price is memory an idle server keeps: the heaps grow to
 * what the load needs and stay there. In the macro suite's crowd (12,000 idle players), RSS per
 * player went from 0.7–2.3 KB to 4.14–4.20 KB; the JavaScript heap per player from 2.75–3.32 KB
 * to 2.56–2.85 KB.
 */
export function applyV8Flags(config: { readonly v8MemoryReducer: boolean }): void {
  setFlagsFromString(config.v8MemoryReducer ? '--memory-reducer' : '--no-memory-reducer');
}
