import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeviathanServer } from '../src/index.js';
import { ENGINE_METRIC_NAMES } from '../src/metrics/metric-names.js';
import { metricValue, parsePrometheusText } from './helpers/prometheus-text.js';
import { startServer } from './helpers/start-server.js';
import { TestClient } from './helpers/test-client.js';

let server: LeviathanServer;
let port: number;

beforeAll(async () => {
  ({ server, port } = await startServer({ gatewayThreads: 2 }));
});

afterAll(async () => {
  await server?.close();
});

/** Every metric the engine documents (docs/engine.md), with its Prometheus type. */
const PLAN: Record<string, string> = {
  leviathan_connected_players: 'gauge',
  leviathan_connections_opened_total: 'counter',
  leviathan_connections_closed_total: 'counter',
  leviathan_messages_received_total: 'counter',
  leviathan_messages_sent_total: 'counter',
  leviathan_bytes_received_total: 'counter',
  leviathan_bytes_sent_total: 'counter',
  leviathan_command_duration_seconds: 'histogram',
  leviathan_tick_duration_seconds: 'histogram',
  leviathan_tick_overruns_total: 'counter',
  leviathan_shard_players: 'gauge',
  leviathan_shard_up: 'gauge',
  leviathan_zone_players: 'gauge',
  leviathan_tick_period_seconds: 'gauge',
  leviathan_shard_last_tick_age_seconds: 'gauge',
  leviathan_shard_restarts_total: 'counter',
  leviathan_event_loop_lag_seconds: 'gauge',
  leviathan_heap_used_bytes: 'gauge',
  leviathan_rss_bytes: 'gauge',
  leviathan_bytes_per_player: 'gauge',
  leviathan_job_wait_seconds: 'histogram',
  leviathan_job_run_seconds: 'histogram',
  leviathan_uws_native: 'gauge',
  leviathan_rate_limited_total: 'counter',
  leviathan_slow_consumer_closes_total: 'counter',
};

describe('/metrics', () => {
  it('serves every metric of the plan, aggregated over every thread, with live values', async () => {
    const clients = await Promise.all([TestClient.login(port, 'm1'), TestClient.login(port, 'm2')]);
    await clients[1]!.command('go beta');
    for (const c of clients) for (let i = 0; i < 3; i++) await c.command('echo hi');

    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    const { samples, types } = parsePrometheusText(text);
    for (const [name, type] of Object.entries(PLAN)) expect(types.get(name), name).toBe(type);
    for (const name of ENGINE_METRIC_NAMES) expect(types.has(name), name).toBe(true);

    expect(metricValue(text, 'leviathan_connected_players')).toBe(2);
    // Exactly one transport runs and says so: native uWS where its binary loads, else node.
    const onUws = metricValue(text, 'leviathan_transport_info', { transport: 'uws' }) === 1;
    const onNode = metricValue(text, 'leviathan_transport_info', { transport: 'node' }) === 1;
    expect(onUws).not.toBe(onNode);
    expect(metricValue(text, 'leviathan_uws_native')).toBe(onUws ? 1 : 0);
    expect(metricValue(text, 'leviathan_connections_opened_total')).toBeGreaterThanOrEqual(2);
    expect(metricValue(text, 'leviathan_messages_received_total')).toBeGreaterThanOrEqual(9);
    expect(metricValue(text, 'leviathan_messages_sent_total')).toBeGreaterThanOrEqual(9);
    expect(metricValue(text, 'leviathan_bytes_received_total')).toBeGreaterThan(0);
    expect(metricValue(text, 'leviathan_bytes_sent_total')).toBeGreaterThan(0);
    expect(metricValue(text, 'leviathan_command_duration_seconds_count')).toBeGreaterThanOrEqual(7);
    for (const shard of ['0', '1']) {
      expect(metricValue(text, 'leviathan_shard_up', { shard })).toBe(1);
      expect(metricValue(text, 'leviathan_shard_players', { shard })).toBe(1);
      expect(metricValue(text, 'leviathan_tick_duration_seconds_count', { shard })).toBeGreaterThan(0);
      expect(metricValue(text, 'leviathan_shard_last_tick_age_seconds', { shard })).toBeLessThan(5);
      expect(metricValue(text, 'leviathan_shard_restarts_total', { shard })).toBe(0);
    }
    expect(metricValue(text, 'leviathan_zone_players', { shard: '0', zone: 'alpha' })).toBe(1);
    expect(metricValue(text, 'leviathan_zone_players', { shard: '1', zone: 'beta' })).toBe(1);
    expect(metricValue(text, 'leviathan_tick_period_seconds')).toBe(0.05); // startServer's 20 Hz
    // Event-loop lag is kept per thread: main, two gateways, two shards.
    const threads = new Set(
      samples.filter((s) => s.name === 'leviathan_event_loop_lag_seconds').map((s) => s.labels.thread),
    );
    expect(threads).toEqual(new Set(['main', 'gateway-0', 'gateway-1', 'shard-0', 'shard-1']));
    expect(metricValue(text, 'leviathan_bytes_per_player')).toBeGreaterThan(0);
    for (const c of clients) c.close();
  });
});
