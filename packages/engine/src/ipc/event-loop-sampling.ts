/**
 * Sampling interval of each thread's event-loop delay monitor (leviathan_event_loop_lag_seconds),
 * in milliseconds. The monitor is a timer that wakes its thread: at prom-client's usual 20 ms,
 * four idle threads woke 200 times a second; measured here, the idle engine (main, one gateway,
 * two shards at 10 Hz) used 13.6 ms of CPU per second at 20 ms and 4.5 ms at 100 ms. A stall
 * still shows: the delay of the one sample that waited is what the gauge reports. Shards need no
 * monitor: they record how late each tick starts (shard/shard-metrics.ts); measured here, dropping
 * their two monitors took the idle engine (main, one gateway, two shards at 10 Hz, no client) from
 * 15.1–16.8 to 10.9–13.0 ms of CPU per second (three runs each, machine at load 6–9).
 * @default 100
 */
export const EVENT_LOOP_RESOLUTION_MS = 100;
