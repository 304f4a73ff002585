import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { aggregateMetrics, collectThreadMetrics } from '../metrics/aggregate-metrics.js';
import { createThreadMetrics, type ThreadMetrics } from '../metrics/thread-metrics.js';
import type { DashboardSnapshot, FigureReading } from './dashboard-snapshot.js';
import { ExpositionSampler } from './exposition-sampler.js';
import { formatFigure } from './format-figure.js';

/** The engine's own metric registries (a gateway, a shard, main), merged as `/metrics` merges them. */
function engineThreads() {
  const gateway = createThreadMetrics(new Registry(), { thread: 'gateway-0' });
  const shard = createThreadMetrics(new Registry(), { thread: 'shard-0' });
  const main = createThreadMetrics(new Registry(), { thread: 'main' });
  main.tickPeriod.set(0.1);
  main.shardUp.set({ shard: '0' }, 1);
  main.shardUp.set({ shard: '1' }, 1);
  const text = async () =>
    aggregateMetrics(await Promise.all([gateway, shard, main].map((t) => collectThreadMetrics(t.registry))));
  return { gateway, shard, main, all: [gateway, shard, main] as ThreadMetrics[], text };
}

const figure = (s: DashboardSnapshot, id: FigureReading['id']) => s.figures.find((f) => f.id === id)!;

describe('ExpositionSampler', () => {
  const open: ThreadMetrics[] = [];
  afterEach(() => {
    for (const t of open.splice(0)) t.close();
  });

  it('reads gauges at once and rates and quantiles from the difference over the window', async () => {
    const e = engineThreads();
    open.push(...e.all);
    e.gateway.connectedPlayers.set(3);
    e.shard.shardPlayers.set({ shard: '0' }, 3);
    e.shard.zonePlayers.set({ shard: '0', zone: 'harbor' }, 2);
    e.shard.zonePlayers.set({ shard: '0', zone: 'reef' }, 1);
    e.gateway.commandDuration.observe(5); // before the window: must not count
    const sampler = new ExpositionSampler({ target: 'http://engine:8080' });

    const first = sampler.add(await e.text(), 1_000);
    expect(first.reachable).toBe(true);
    expect(figure(first, 'players').value).toBe(3);
    expect(figure(first, 'players').text).toBe('3');
    // No window yet: rates and quantiles are missing, not zero.
    expect(figure(first, 'commandsPerSecond').value).toBeNull();
    expect(figure(first, 'commandsPerSecond').text).toBe('—');
    expect(figure(first, 'commandLatencyP99').level).toBe('none');

    for (let i = 0; i < 100; i++) e.gateway.commandDuration.observe(0.04);
    for (let i = 0; i < 20; i++) e.shard.tickDuration.observe({ shard: '0' }, 0.08);
    e.shard.tickOverruns.inc({ shard: '0' }, 2);
    const second = sampler.add(await e.text(), 3_000);
    expect(figure(second, 'commandsPerSecond').value).toBeCloseTo(50); // 100 commands in 2 s
    const p99 = figure(second, 'commandLatencyP99');
    // All in the 35–50 ms bucket: interpolated inside it, as histogram_quantile does.
    expect(p99.value).toBeGreaterThan(0.035);
    expect(p99.value).toBeLessThanOrEqual(0.05);
    expect(p99.text).toMatch(/^\d+ ms$/);
    expect(p99.level).toBe('ok');
    expect(p99.fill).toBeCloseTo(p99.value! / 0.3);
    const shard0 = second.shards.find((s) => s.shard === '0')!;
    expect(shard0.up).toBe(true);
    expect(shard0.players).toBe(3);
    expect(shard0.tickLoad).toBeGreaterThan(0.5); // p99 of 80 ms ticks against a 100 ms period
    expect(shard0.overrunsPerSecond).toBeCloseTo(1);
    expect(shard0.level).toBe('crit'); // 1 overrun/s is past the alert's 0.5
    expect(figure(second, 'tickLoad').level).toBe('warn');
    expect(second.zones.map((z) => [z.zone, z.players])).toEqual([
      ['harbor', 2],
      ['reef', 1],
    ]);
    expect(second.tickPeriodSeconds).toBe(0.1);
    expect(figure(second, 'players').history).toEqual([3, 3]);
    // No store in this engine: its figures are missing, not "0 errors".
    expect(figure(second, 'writeBehindBacklog').value).toBeNull();
    expect(figure(second, 'dbErrorsPerSecond').value).toBeNull();
  });

  it('turns a shard that is down red, and the share of shards up with it', async () => {
    const e = engineThreads();
    open.push(...e.all);
    e.main.shardUp.set({ shard: '1' }, 0);
    const snapshot = new ExpositionSampler({ target: 't' }).add(await e.text(), 0);
    expect(snapshot.shards.map((s) => [s.shard, s.up, s.level])).toEqual([
      ['0', true, 'ok'],
      ['1', false, 'crit'],
    ]);
    const up = figure(snapshot, 'shardsUp');
    expect(up.value).toBe(0.5);
    expect(up.text).toBe('50%');
    expect(up.level).toBe('crit');
  });

  it('starts its window again when the engine restarted (a counter went down)', async () => {
    const before = engineThreads();
    open.push(...before.all);
    for (let i = 0; i < 50; i++) before.gateway.commandDuration.observe(0.01);
    const sampler = new ExpositionSampler({ target: 't' });
    sampler.add(await before.text(), 0);
    const after = engineThreads();
    open.push(...after.all);
    after.gateway.commandDuration.observe(0.01);
    const snapshot = sampler.add(await after.text(), 1_000);
    expect(figure(snapshot, 'commandsPerSecond').value).toBeNull();
  });

  it('keeps the grid, red, and every figure missing while the target is unreachable', async () => {
    const e = engineThreads();
    open.push(...e.all);
    const sampler = new ExpositionSampler({ target: 'http://engine:8080', historyPoints: 3 });
    sampler.add(await e.text(), 0);
    const down = sampler.unreachable('refused', 1_000);
    expect(down.reachable).toBe(false);
    expect(down.error).toBe('refused');
    expect(down.nodes).toEqual([expect.objectContaining({ up: false, level: 'crit' })]);
    expect(down.shards.map((s) => [s.shard, s.up])).toEqual([
      ['0', null],
      ['1', null],
    ]);
    expect(figure(down, 'players').text).toBe('—');
    expect(figure(down, 'enginesUp').level).toBe('crit');
    sampler.unreachable('refused', 2_000);
    const third = sampler.unreachable('refused', 3_000);
    expect(figure(third, 'players').history).toEqual([null, null, null]); // bounded to 3 points
  });

  it('rejects a text that is not an exposition, so the caller can say why', () => {
    expect(() => new ExpositionSampler({ target: 't' }).add('<html>not metrics</html>', 0)).toThrow(/line 1/);
  });
});

describe('formatFigure', () => {
  it('writes each unit as a person reads it, and missing as a dash', () => {
    expect(formatFigure(null, 'seconds')).toBe('—');
    expect(formatFigure(Number.NaN, 'count')).toBe('—');
    expect(formatFigure(12_345, 'count')).toBe('12,345');
    expect(formatFigure(0.0004, 'seconds')).toBe('0.40 ms');
    expect(formatFigure(0.0042, 'seconds')).toBe('4.2 ms');
    expect(formatFigure(0.087, 'seconds')).toBe('87 ms');
    expect(formatFigure(2.5, 'seconds')).toBe('2.50 s');
    expect(formatFigure(125, 'seconds')).toBe('2m 5s');
    expect(formatFigure(4000, 'bytes')).toBe('3.9 KiB');
    expect(formatFigure(512, 'bytes')).toBe('512 B');
    expect(formatFigure(300 * 1024 * 1024, 'bytes')).toBe('300 MiB');
    expect(formatFigure(1_500_000, 'bytesPerSecond')).toBe('1.4 MiB/s');
    expect(formatFigure(7.25, 'perSecond')).toBe('7.3/s');
    expect(formatFigure(1204.4, 'perSecond')).toBe('1,204/s');
    expect(formatFigure(0.92, 'ratio')).toBe('92%');
    expect(formatFigure(0.055, 'ratio')).toBe('5.5%');
    expect(formatFigure(1, 'ratio')).toBe('100%');
  });
});
