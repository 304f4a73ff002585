import { monitorEventLoopDelay, type RecordableHistogram } from 'node:perf_hooks';
import { threadId } from 'node:worker_threads';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { type LoopDelayReading, LoopDelayWindow } from './loop-delay-window.js';
import { memoryGauges } from './memory-gauges.js';
import { Buckets, DROP_REASONS } from './metric-names.js';
import { registeredMetric } from './registered-metric.js';

/**
 * The engine's Prometheus metrics, defined identically in every thread's own registry (main,
 * each gateway, each shard): a thread updates the ones it owns, the others stay at zero and cost
 * nothing but their share of a scrape. `/metrics` merges every thread's registry with
 * `aggregateMetrics()`.
 *
 * How each gauge merges across threads (`aggregator`, prom-client's AggregatorRegistry semantics;
 * counters and histograms are always summed):
 * | gauge | set by | merged |
 * | --- | --- | --- |
 * | connected_players | each gateway, its own sockets | sum |
 * | shard_players{shard}, zone_players{shard,zone} | the shard | sum (one writer per label) |
 * | tick_period_seconds | main, from the configuration | max |
 * | shard_up{shard}, shard_restarts_total{shard} | main (supervisor) | sum (one writer) |
 * | shard_last_tick_age_seconds{shard} | main (supervisor) | max (a stale thread can only look older) |
 * | event_loop_lag_seconds{thread}, event_loop_lag_max_seconds{thread} | every thread, at scrape | kept per thread |
 * | heap_used_bytes{thread} | every thread: its own V8 isolate's heap | kept per thread (sum for the process's) |
 * | heap_resident_bytes{thread} | every thread: its isolate's heap pages in memory, used or free | kept per thread |
 * | rss_bytes | every thread: the process RSS | max (all threads read the same number) |
 * | uws_native | each gateway (1 native uWS, 0 the node transport) | max (threads without a gateway say 0) |
 * | transport_info{transport} | each gateway (1 for the transport it runs) | max |
 * | bytes_per_player | computed by `aggregateMetrics` | rss / connected players; 0 with no player |
 */

export interface ThreadMetrics {
  readonly registry: Registry;
  /** Name of the thread these metrics belong to (`main`, `gateway-0`, `shard-2`, ...). */
  readonly thread: string;
  /** leviathan_connected_players: authenticated players connected to this gateway. */
  readonly connectedPlayers: Gauge;
  /** leviathan_connections_opened_total: WebSocket connections accepted. */
  readonly connectionsOpened: Counter;
  /** leviathan_connections_closed_total{reason}: closed connections, by reason (a short fixed word). */
  readonly connectionsClosed: Counter<'reason'>;
  /** leviathan_messages_received_total: client messages decoded. */
  readonly messagesReceived: Counter;
  /** leviathan_messages_sent_total: messages written to clients. */
  readonly messagesSent: Counter;
  /** leviathan_bytes_received_total: WebSocket payload bytes received. */
  readonly bytesReceived: Counter;
  /** leviathan_bytes_sent_total: WebSocket payload bytes sent. */
  readonly bytesSent: Counter;
  /** leviathan_command_duration_seconds: gateway receipt → reply written. */
  readonly commandDuration: Histogram;
  /** leviathan_tick_duration_seconds{shard}: work done in one tick. */
  readonly tickDuration: Histogram<'shard'>;
  /** leviathan_tick_overruns_total{shard}: ticks that took longer than their period. */
  readonly tickOverruns: Counter<'shard'>;
  /** leviathan_shard_players{shard}: players in the shard's zones. */
  readonly shardPlayers: Gauge<'shard'>;
  /** leviathan_zone_players{shard,zone}: players in each of a shard's ten busiest zones. */
  readonly zonePlayers: Gauge<'shard' | 'zone'>;
  /** leviathan_tick_period_seconds: the configured tick period, the budget of one tick. */
  readonly tickPeriod: Gauge;
  /** leviathan_shard_up{shard}: 1 when the shard is running and ticking, else 0. */
  readonly shardUp: Gauge<'shard'>;
  /** leviathan_shard_last_tick_age_seconds{shard}: time since the shard's last completed tick. */
  readonly shardLastTickAge: Gauge<'shard'>;
  /** leviathan_shard_restarts_total{shard}: restarts by the supervisor. */
  readonly shardRestarts: Counter<'shard'>;
  /** leviathan_event_loop_lag_seconds{thread}: p99 event-loop delay over the last 15–30 s (loop-delay-window.ts). */
  readonly eventLoopLag: Gauge<'thread'>;
  /** leviathan_event_loop_lag_max_seconds{thread}: largest event-loop delay over the last 15–30 s. */
  readonly eventLoopLagMax: Gauge<'thread'>;
  /** leviathan_heap_used_bytes{thread}: V8 heap in use by this thread's isolate. */
  readonly heapUsed: Gauge<'thread'>;
  /**
   * leviathan_heap_resident_bytes{thread}: V8 heap pages of this thread's isolate held in memory,
   * in use or not. The difference from heap_used is mostly the young generation's free half,
   * which V8 grows under allocation (up to tens of MB per isolate) and counts in RSS.
   */
  readonly heapResident: Gauge<'thread'>;
  /** leviathan_rss_bytes: resident set size of the process. */
  readonly rss: Gauge;
  /** leviathan_job_wait_seconds{job}: time a job waited for a pool thread. */
  readonly jobWait: Histogram<'job'>;
  /** leviathan_job_run_seconds{job}: time a job ran on a pool thread. */
  readonly jobRun: Histogram<'job'>;
  /** leviathan_uws_native: 1 when the gateways run native uWebSockets.js, 0 on the node transport. */
  readonly uwsNative: Gauge;
  /** leviathan_transport_info{transport}: 1 for the gateways' transport (`uws` or `node`). */
  readonly transportInfo: Gauge<'transport'>;
  /** leviathan_rate_limited_total: commands dropped by the per-connection rate limit. */
  readonly rateLimited: Counter;
  /** leviathan_slow_consumer_closes_total: sockets closed because they read too slowly. */
  readonly slowConsumerCloses: Counter;
  /**
   * leviathan_messages_dropped_total{reason}: low-priority messages shed: `tick_budget` (a
   * player's budget per tick, in the shard), `socket_budget` (a socket's output budget, in the
   * gateway), `congested` (past `maxBufferedBytes` buffered).
   */
  readonly messagesDropped: Counter<'reason'>;
  /** Forgets the event-loop delays so far: call once the thread has started (its start-up is not lag). */
  restartLoopDelays(): void;
  /** Stops the event-loop monitor (call when the thread shuts down). */
  close(): void;
}

export interface ThreadMetricsOptions {
  /**
   * Name of the thread, the `thread` label of per-thread gauges.
   * @default 'main' on the main thread, `worker-<threadId>` in a worker
   */
  thread?: string;
  /**
   * Sampling resolution of the event-loop delay monitor, in milliseconds.
   * @default 20
   */
  eventLoopResolutionMs?: number;
  /**
   * Where this thread records its event-loop delays itself (in nanoseconds), instead of a monitor
   * timer that would wake it: a shard records how late each tick starts, which is its loop's delay
   * measured every tick at no extra wakeup.
   */
  eventLoopDelays?: RecordableHistogram;
}

/** One metric set per registry: a second call returns the first (and starts no second monitor). */
const byRegistry = new WeakMap<Registry, ThreadMetrics>();

/**
 * Defines every engine metric in `registry` (a fresh one per thread). Idempotent per registry:
 * calling it twice returns the same metrics; metrics another module registered under these names
 * (same definition) are reused.
 */
export function createThreadMetrics(
  registry: Registry = new Registry(),
  options: ThreadMetricsOptions = {},
): ThreadMetrics {
  const existing = byRegistry.get(registry);
  if (existing) return existing;
  const thread = options.thread ?? (threadId === 0 ? 'main' : `worker-${threadId}`);
  const registers = [registry];
  // Reuse what is already registered, so a second call (or another module) gets the same metrics.
  const get = <M>(name: string, make: () => M): M => registeredMetric(registry, name, make);

  const loop =
    options.eventLoopDelays ?? monitorEventLoopDelay({ resolution: options.eventLoopResolutionMs ?? 20 });
  if ('enable' in loop) loop.enable();

  // One reading per scrape serves both gauges: the p99 gauge (registered first, so collected
  // first) takes it; the max gauge uses that reading.
  const window = new LoopDelayWindow(loop);
  let reading: LoopDelayReading | undefined;
  const read = () => window.read();
  const eventLoopLag = get(
    'leviathan_event_loop_lag_seconds',
    () =>
      new Gauge({
        name: 'leviathan_event_loop_lag_seconds',
        help: 'p99 event-loop delay of each thread over the last 15 to 30 s',
        labelNames: ['thread'],
        collect() {
          reading = read();
          this.set({ thread }, reading.p99);
        },
        registers,
      }),
  );
  const eventLoopLagMax = get(
    'leviathan_event_loop_lag_max_seconds',
    () =>
      new Gauge({
        name: 'leviathan_event_loop_lag_max_seconds',
        help: 'Largest event-loop delay of each thread over the last 15 to 30 s',
        labelNames: ['thread'],
        collect() {
          const r = reading ?? read();
          reading = undefined;
          this.set({ thread }, r.max);
        },
        registers,
      }),
  );

  const metrics: ThreadMetrics = {
    registry,
    thread,
    connectedPlayers: get(
      'leviathan_connected_players',
      () =>
        new Gauge({
          name: 'leviathan_connected_players',
          help: 'Authenticated players connected',
          registers,
        }),
    ),
    connectionsOpened: get(
      'leviathan_connections_opened_total',
      () =>
        new Counter({
          name: 'leviathan_connections_opened_total',
          help: 'WebSocket connections accepted',
          registers,
        }),
    ),
    connectionsClosed: get(
      'leviathan_connections_closed_total',
      () =>
        new Counter({
          name: 'leviathan_connections_closed_total',
          help: 'WebSocket connections closed, by reason',
          labelNames: ['reason'],
          registers,
        }),
    ),
    messagesReceived: get(
      'leviathan_messages_received_total',
      () =>
        new Counter({
          name: 'leviathan_messages_received_total',
          help: 'Client messages received',
          registers,
        }),
    ),
    messagesSent: get(
      'leviathan_messages_sent_total',
      () =>
        new Counter({ name: 'leviathan_messages_sent_total', help: 'Messages sent to clients', registers }),
    ),
    bytesReceived: get(
      'leviathan_bytes_received_total',
      () =>
        new Counter({
          name: 'leviathan_bytes_received_total',
          help: 'WebSocket payload bytes received',
          registers,
        }),
    ),
    bytesSent: get(
      'leviathan_bytes_sent_total',
      () =>
        new Counter({ name: 'leviathan_bytes_sent_total', help: 'WebSocket payload bytes sent', registers }),
    ),
    commandDuration: get(
      'leviathan_command_duration_seconds',
      () =>
        new Histogram({
          name: 'leviathan_command_duration_seconds',
          help: 'Command processing time, from receipt at the gateway to the reply written',
          buckets: [...Buckets.command],
          registers,
        }),
    ),
    tickDuration: get(
      'leviathan_tick_duration_seconds',
      () =>
        new Histogram({
          name: 'leviathan_tick_duration_seconds',
          help: 'Work done in one tick, by shard',
          labelNames: ['shard'],
          buckets: [...Buckets.tick],
          registers,
        }),
    ),
    tickOverruns: get(
      'leviathan_tick_overruns_total',
      () =>
        new Counter({
          name: 'leviathan_tick_overruns_total',
          help: 'Ticks that took longer than their period, by shard',
          labelNames: ['shard'],
          registers,
        }),
    ),
    shardPlayers: get(
      'leviathan_shard_players',
      () =>
        new Gauge({
          name: 'leviathan_shard_players',
          help: 'Players in the zones of each shard',
          labelNames: ['shard'],
          registers,
        }),
    ),
    zonePlayers: get(
      'leviathan_zone_players',
      () =>
        new Gauge({
          name: 'leviathan_zone_players',
          help: "Players in each shard's ten busiest zones (set at each scrape)",
          labelNames: ['shard', 'zone'],
          registers,
        }),
    ),
    tickPeriod: get(
      'leviathan_tick_period_seconds',
      () =>
        new Gauge({
          name: 'leviathan_tick_period_seconds',
          help: 'The configured tick period: the time budget of one tick',
          aggregator: 'max',
          registers,
        }),
    ),
    shardUp: get(
      'leviathan_shard_up',
      () =>
        new Gauge({
          name: 'leviathan_shard_up',
          help: '1 when the shard is running and ticking, else 0',
          labelNames: ['shard'],
          registers,
        }),
    ),
    shardLastTickAge: get(
      'leviathan_shard_last_tick_age_seconds',
      () =>
        new Gauge({
          name: 'leviathan_shard_last_tick_age_seconds',
          help: "Time since each shard's last completed tick",
          labelNames: ['shard'],
          aggregator: 'max',
          registers,
        }),
    ),
    shardRestarts: get(
      'leviathan_shard_restarts_total',
      () =>
        new Counter({
          name: 'leviathan_shard_restarts_total',
          help: 'Shard restarts by the supervisor',
          labelNames: ['shard'],
          registers,
        }),
    ),
    eventLoopLag,
    eventLoopLagMax,
    ...memoryGauges(registry, thread),
    jobWait: get(
      'leviathan_job_wait_seconds',
      () =>
        new Histogram({
          name: 'leviathan_job_wait_seconds',
          help: 'Time jobs waited for a job-pool thread, by job',
          labelNames: ['job'],
          buckets: [...Buckets.job],
          registers,
        }),
    ),
    jobRun: get(
      'leviathan_job_run_seconds',
      () =>
        new Histogram({
          name: 'leviathan_job_run_seconds',
          help: 'Time jobs ran on a job-pool thread, by job',
          labelNames: ['job'],
          buckets: [...Buckets.job],
          registers,
        }),
    ),
    uwsNative: get(
      'leviathan_uws_native',
      () =>
        new Gauge({
          name: 'leviathan_uws_native',
          help: '1 when the gateways run native uWebSockets.js, 0 on the node transport (http + ws)',
          aggregator: 'max',
          registers,
        }),
    ),
    transportInfo: get(
      'leviathan_transport_info',
      () =>
        new Gauge({
          name: 'leviathan_transport_info',
          help: 'The transport the gateways run: 1 for transport="uws" (native uWebSockets.js) or transport="node" (http + ws)',
          labelNames: ['transport'],
          aggregator: 'max',
          registers,
        }),
    ),
    rateLimited: get(
      'leviathan_rate_limited_total',
      () =>
        new Counter({
          name: 'leviathan_rate_limited_total',
          help: 'Commands dropped by the per-connection rate limit',
          registers,
        }),
    ),
    slowConsumerCloses: get(
      'leviathan_slow_consumer_closes_total',
      () =>
        new Counter({
          name: 'leviathan_slow_consumer_closes_total',
          help: 'Connections closed because the client read too slowly',
          registers,
        }),
    ),
    messagesDropped: get('leviathan_messages_dropped_total', () => {
      const counter = new Counter({
        name: 'leviathan_messages_dropped_total',
        help: 'Low-priority messages shed, by reason: tick_budget (per player per tick, shard), socket_budget (per socket, gateway), congested (the socket past maxBufferedBytes)',
        labelNames: ['reason'],
        registers,
      });
      // Every reason from the start, at 0: a rate() over a series that appears late misses its start.
      for (const reason of DROP_REASONS) counter.inc({ reason }, 0);
      return counter;
    }),
    restartLoopDelays: () => window.restart(),
    close() {
      if ('disable' in loop) loop.disable();
    },
  };
  byRegistry.set(registry, metrics);
  return metrics;
}
