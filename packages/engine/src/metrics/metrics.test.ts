import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { hasTool } from '@leviathan/test-support';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { aggregateMetrics, collectThreadMetrics, type ThreadMetricsSnapshot } from './aggregate-metrics.js';
import { ENGINE_METRIC_NAMES } from './metric-names.js';
import { ExpositionParseError, parseExposition, sampleValue } from './parse-exposition.js';
import { createThreadMetrics, type ThreadMetrics } from './thread-metrics.js';

const created: ThreadMetrics[] = [];
function threadMetrics(thread: string): ThreadMetrics {
  const m = createThreadMetrics(new Registry(), { thread, eventLoopResolutionMs: 10 });
  created.push(m);
  return m;
}
afterEach(() => {
  for (const m of created.splice(0)) m.close();
});

/** Three threads as the server has them: main (supervisor), a gateway, a shard. */
async function threeThreads(): Promise<ThreadMetricsSnapshot[]> {
  const main = threadMetrics('main');
  const gateway = threadMetrics('gateway-0');
  const gateway1 = threadMetrics('gateway-1');
  const shard = threadMetrics('shard-0');

  main.shardUp.set({ shard: '0' }, 1);
  main.shardLastTickAge.set({ shard: '0' }, 0.05);
  main.shardRestarts.inc({ shard: '0' });
  gateway.connectedPlayers.set(3);
  gateway1.connectedPlayers.set(2);
  gateway.connectionsOpened.inc(4);
  gateway1.connectionsOpened.inc(2);
  gateway.connectionsClosed.inc({ reason: 'client' });
  gateway1.connectionsClosed.inc({ reason: 'client' });
  gateway1.connectionsClosed.inc({ reason: 'slow-consumer' });
  gateway.commandDuration.observe(0.0004);
  gateway1.commandDuration.observe(0.09);
  gateway1.commandDuration.observe(3);
  gateway.uwsNative.set(1);
  gateway1.uwsNative.set(1);
  gateway.rateLimited.inc(7);
  shard.tickDuration.observe({ shard: '0' }, 0.0002);
  shard.tickOverruns.inc({ shard: '0' });
  shard.shardPlayers.set({ shard: '0' }, 5);
  shard.jobRun.observe({ job: 'find-path' }, 0.01);

  return Promise.all([main, gateway, gateway1, shard].map((m) => collectThreadMetrics(m.registry)));
}

describe('thread metrics and aggregation', () => {
  it('exposes every engine metric, with Prometheus types and help', async () => {
    const families = parseExposition(await aggregateMetrics(await threeThreads()));
    for (const name of ENGINE_METRIC_NAMES) {
      expect(families.has(name), name).toBe(true);
      expect(families.get(name)!.help, name).not.toBe('');
    }
    expect(families.get('leviathan_connections_opened_total')!.type).toBe('counter');
    expect(families.get('leviathan_tick_duration_seconds')!.type).toBe('histogram');
    expect(families.get('leviathan_connected_players')!.type).toBe('gauge');
  });

  it('sums counters and histograms across threads', async () => {
    const f = parseExposition(await aggregateMetrics(await threeThreads()));
    expect(sampleValue(f, 'leviathan_connections_opened_total')).toBe(6);
    expect(sampleValue(f, 'leviathan_connections_closed_total', { reason: 'client' })).toBe(2);
    expect(sampleValue(f, 'leviathan_connections_closed_total', { reason: 'slow-consumer' })).toBe(1);
    expect(sampleValue(f, 'leviathan_command_duration_seconds_count')).toBe(3);
    expect(sampleValue(f, 'leviathan_command_duration_seconds_sum')).toBeCloseTo(3.0904, 6);
    expect(sampleValue(f, 'leviathan_command_duration_seconds_bucket', { le: '0.0005' })).toBe(1);
    expect(sampleValue(f, 'leviathan_command_duration_seconds_bucket', { le: '0.1' })).toBe(2);
    expect(sampleValue(f, 'leviathan_command_duration_seconds_bucket', { le: '+Inf' })).toBe(3);
    expect(sampleValue(f, 'leviathan_tick_duration_seconds_count', { shard: '0' })).toBe(1);
    expect(sampleValue(f, 'leviathan_tick_overruns_total', { shard: '0' })).toBe(1);
    expect(sampleValue(f, 'leviathan_job_run_seconds_count', { job: 'find-path' })).toBe(1);
    expect(sampleValue(f, 'leviathan_rate_limited_total')).toBe(7);
    expect(sampleValue(f, 'leviathan_shard_restarts_total', { shard: '0' })).toBe(1);
  });

  it('merges gauges as documented: summed, max, or per thread', async () => {
    const f = parseExposition(await aggregateMetrics(await threeThreads()));
    expect(sampleValue(f, 'leviathan_connected_players')).toBe(5); // sum over gateways
    expect(sampleValue(f, 'leviathan_shard_players', { shard: '0' })).toBe(5);
    expect(sampleValue(f, 'leviathan_shard_up', { shard: '0' })).toBe(1);
    expect(sampleValue(f, 'leviathan_shard_last_tick_age_seconds', { shard: '0' })).toBe(0.05);
    expect(sampleValue(f, 'leviathan_uws_native')).toBe(1); // max, not the number of gateways
    const threads = f
      .get('leviathan_event_loop_lag_seconds')!
      .samples.map((s) => s.labels.thread)
      .sort();
    expect(threads).toEqual(['gateway-0', 'gateway-1', 'main', 'shard-0']);
    for (const s of f.get('leviathan_event_loop_lag_seconds')!.samples) {
      expect(s.value).toBeGreaterThanOrEqual(0);
      expect(s.value).toBeLessThan(60);
    }
    // Four threads each reported the process RSS: merged by max, it stays near one reading (a sum
    // would be about four times it).
    const rss = sampleValue(f, 'leviathan_rss_bytes');
    const now = process.memoryUsage.rss();
    expect(rss).toBeGreaterThan(now * 0.5);
    expect(rss).toBeLessThan(now * 1.5);
    // The heap is kept per thread (every registry here lives in this one isolate: each reads it).
    const heaps = f.get('leviathan_heap_used_bytes')!.samples;
    expect(heaps.map((s) => s.labels.thread).sort()).toEqual(['gateway-0', 'gateway-1', 'main', 'shard-0']);
    for (const s of heaps) expect(s.value).toBeGreaterThan(1024 * 1024);
    // Resident heap pages are kept per thread too, and a heap's pages hold at least what is in use.
    const resident = f.get('leviathan_heap_resident_bytes')!.samples;
    expect(resident.map((s) => s.labels.thread).sort()).toEqual([
      'gateway-0',
      'gateway-1',
      'main',
      'shard-0',
    ]);
    for (const s of resident) {
      const used = heaps.find((h) => h.labels.thread === s.labels.thread)!.value;
      expect(s.value).toBeGreaterThanOrEqual(used * 0.9);
    }
    expect(sampleValue(f, 'leviathan_bytes_per_player')).toBe(Math.round(rss / 5));
  });

  it('reports bytes per player as 0 when nobody is connected', async () => {
    const m = threadMetrics('main');
    const f = parseExposition(await aggregateMetrics([await collectThreadMetrics(m.registry)]));
    expect(sampleValue(f, 'leviathan_bytes_per_player')).toBe(0);
  });

  it('measures event-loop lag: a blocked loop shows up', async () => {
    const m = threadMetrics('main');
    await collectThreadMetrics(m.registry); // reset the window
    await new Promise((r) => setTimeout(r, 30));
    const until = Date.now() + 120;
    while (Date.now() < until) {
      // Block the event loop for ~120 ms.
    }
    await new Promise((r) => setTimeout(r, 30));
    const f = parseExposition(await aggregateMetrics([await collectThreadMetrics(m.registry)]));
    // The monitor saw one delay of about the blocked time; the bound is loose on purpose.
    expect(sampleValue(f, 'leviathan_event_loop_lag_max_seconds', { thread: 'main' })).toBeGreaterThan(0.05);
  });

  it('returns the same metrics for the same registry', () => {
    const registry = new Registry();
    const a = createThreadMetrics(registry, { thread: 'x' });
    created.push(a);
    expect(createThreadMetrics(registry)).toBe(a);
  });

  it('aggregates snapshots posted by real worker threads', async () => {
    const source = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(
      new URL('./fixtures/metrics-worker.ts', import.meta.url).href,
    )}); })`;
    const workers = [0, 1].map(
      (i) => new Worker(source, { eval: true, workerData: { thread: `shard-${i}`, shard: String(i) } }),
    );
    try {
      const snapshots = await Promise.all(
        workers.map(
          (w) =>
            new Promise<ThreadMetricsSnapshot>((resolve, reject) => {
              w.once('error', reject);
              w.once('message', resolve);
              // The worker may still be loading: ask again until it answers (bounded).
              let tries = 0;
              const ask = () => {
                w.postMessage('collect');
                if (++tries < 100) timer = setTimeout(ask, 200);
              };
              let timer = setTimeout(ask, 0);
              w.once('message', () => clearTimeout(timer));
            }),
        ),
      );
      const main = threadMetrics('main');
      const text = await aggregateMetrics([await collectThreadMetrics(main.registry), ...snapshots]);
      const f = parseExposition(text);
      expect(sampleValue(f, 'leviathan_connected_players')).toBe(10);
      expect(sampleValue(f, 'leviathan_messages_received_total')).toBe(200);
      expect(sampleValue(f, 'leviathan_tick_duration_seconds_count', { shard: '1' })).toBe(2);
      expect(sampleValue(f, 'leviathan_tick_duration_seconds_bucket', { shard: '0', le: '0.0025' })).toBe(1);
      expect(sampleValue(f, 'leviathan_uws_native')).toBe(1);
      const threads = f
        .get('leviathan_event_loop_lag_seconds')!
        .samples.map((s) => s.labels.thread)
        .sort();
      expect(threads).toEqual(['main', 'shard-0', 'shard-1']);
    } finally {
      for (const w of workers) w.postMessage('stop');
      await Promise.all(workers.map((w) => w.terminate()));
    }
  });

  it.skipIf(!hasTool('promtool', 'prometheus'))('produces an exposition promtool accepts', async () => {
    const text = await aggregateMetrics(await threeThreads());
    const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    // promtool exits 1 for lint warnings as well as errors; it prints what it found.
    expect(result.stderr + result.stdout).not.toMatch(/error/i);
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });
});

describe('parseExposition', () => {
  it('parses labels with escapes and special values', () => {
    const f = parseExposition(
      '# HELP m_total A "help"\n# TYPE m_total counter\nm_total{a="x\\"y",b="line\\nbreak"} 3\nm_total{a="z"} +Inf\nother NaN\n',
    );
    expect(f.get('m_total')!.samples).toEqual([
      { name: 'm_total', labels: { a: 'x"y', b: 'line\nbreak' }, value: 3 },
      { name: 'm_total', labels: { a: 'z' }, value: Number.POSITIVE_INFINITY },
    ]);
    expect(Number.isNaN(f.get('other')!.samples[0]!.value)).toBe(true);
  });

  it('rejects malformed lines', () => {
    for (const bad of ['9bad 1', 'm{a=1} 1', 'm{a="1" 1', 'm one', '# TYPE m widget', 'm{a="1",a="2"} 1']) {
      expect(() => parseExposition(bad), bad).toThrow(ExpositionParseError);
    }
  });
});
