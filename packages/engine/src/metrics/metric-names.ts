/** The names, label values and histogram buckets of the engine's metrics (thread-metrics.ts). */

/** Every metric name that thread-metrics.ts defines, for docs and checks. */
export const ENGINE_METRIC_NAMES = Object.freeze([
  'leviathan_connected_players',
  'leviathan_connections_opened_total',
  'leviathan_connections_closed_total',
  'leviathan_messages_received_total',
  'leviathan_messages_sent_total',
  'leviathan_bytes_received_total',
  'leviathan_bytes_sent_total',
  'leviathan_command_duration_seconds',
  'leviathan_tick_duration_seconds',
  'leviathan_tick_overruns_total',
  'leviathan_shard_players',
  'leviathan_zone_players',
  'leviathan_tick_period_seconds',
  'leviathan_shard_up',
  'leviathan_shard_last_tick_age_seconds',
  'leviathan_shard_restarts_total',
  'leviathan_event_loop_lag_seconds',
  'leviathan_event_loop_lag_max_seconds',
  'leviathan_heap_used_bytes',
  'leviathan_heap_resident_bytes',
  'leviathan_rss_bytes',
  'leviathan_bytes_per_player',
  'leviathan_job_wait_seconds',
  'leviathan_job_run_seconds',
  'leviathan_uws_native',
  'leviathan_transport_info',
  'leviathan_rate_limited_total',
  'leviathan_slow_consumer_closes_total',
  'leviathan_messages_dropped_total',
] as const);

/** The `reason` label values of leviathan_messages_dropped_total. */
export const DROP_REASONS = Object.freeze(['tick_budget', 'socket_budget', 'congested'] as const);

/** Histogram buckets, in seconds. */
export const Buckets = Object.freeze({
  /**
   * Receipt at the gateway → reply written. Includes the wait for the next tick (up to 100 ms at
   * the default 10 Hz), so the buckets are dense between 1 ms and 250 ms.
   */
  command: Object.freeze([
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.125, 0.15, 0.2, 0.25, 0.5, 1, 2.5, 5,
  ]),
  /** One tick's work: well under a millisecond when idle, the 100 ms budget at 10 Hz when busy. */
  tick: Object.freeze([0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]),
  /** Job queueing and running: sub-millisecond hashing up to multi-second generation. */
  job: Object.freeze([0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]),
});
