/**
 * Fleet mode of `leviathan top` (packages/engine/src/dashboard/prometheus-source.ts) against a
 * real Prometheus scraping a real engine (demo game, two shards, players sending commands) and a
 * second engine target where nothing listens, with the repository's recording rules loaded: the
 * figures, the grid (a node up, a node down, both shards), the busiest zones and the sparklines
 * all come from Prometheus's HTTP API; a Prometheus that refuses or never answers reads as
 * unreachable, with the reason, and sample() does not throw.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type LeviathanServer } from '@leviathan/engine';
import { demoGameModule } from '@leviathan/example-demo';
import { freePort, hasTool } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { DashboardSnapshot } from '../../packages/engine/src/dashboard/dashboard-snapshot.js';
import { formatFigure } from '../../packages/engine/src/dashboard/format-figure.js';
import { prometheusSource } from '../../packages/engine/src/dashboard/prometheus-source.js';
import { FIGURES, figureLevel } from '../../packages/engine/src/metrics/figures.js';
import { connectPlayer, type Player } from './helpers/players.js';
import { type PrometheusServer, pollUntil, startPrometheus } from './helpers/prometheus-server.js';
import { MONITORING_DIR } from './repo-paths.js';

const PLAYERS = 3;

const figure = (snapshot: DashboardSnapshot, id: string) => {
  const reading = snapshot.figures.find((f) => f.id === id);
  if (reading === undefined) throw new Error(`no figure ${id}`);
  return reading;
};

describe.skipIf(!hasTool('prometheus'))('prometheusSource against a real Prometheus and engine', () => {
  let dir: string;
  let engine: LeviathanServer | undefined;
  let prometheus: PrometheusServer | undefined;
  let enginePort = 0;
  let deadTarget = '';
  const players: Player[] = [];
  let traffic: ReturnType<typeof setInterval> | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leviathan-fleet-top-'));
    engine = createServer({
      host: '127.0.0.1',
      port: 0,
      game: demoGameModule(),
      shards: 2,
      gatewayThreads: 1,
      auth: { mode: 'dev' },
      store: { kind: 'embedded', dataDir: join(dir, 'store') },
      log: { level: 'warn' },
    });
    enginePort = (await engine.listen()).port;
    for (let i = 0; i < PLAYERS; i++) players.push(await connectPlayer(enginePort, `fleet${i}`));

    // The repository's rules (DB errors/s reads one), a 1 s scrape of this engine and of an
    // address where no engine listens: one node up, one down.
    cpSync(join(MONITORING_DIR, 'prometheus/rules'), join(dir, 'rules'), { recursive: true });
    deadTarget = `127.0.0.1:${await freePort()}`;
    writeFileSync(
      join(dir, 'prometheus.yml'),
      stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: ['rules/*.yml'],
        scrape_configs: [
          {
            job_name: 'leviathan-engine',
            static_configs: [{ targets: [`127.0.0.1:${enginePort}`, deadTarget] }],
          },
        ],
      }),
    );
    prometheus = await startPrometheus(dir);
    traffic = setInterval(() => {
      for (const p of players) p.command('look').catch(() => {});
    }, 200);
  }, 120_000);

  afterAll(async () => {
    if (traffic) clearInterval(traffic);
    await Promise.all(players.map((p) => p.close().catch(() => {})));
    await prometheus?.stop();
    await engine?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('reads the fleet: figures judged by figures.ts, the grid of nodes and shards, the busiest zones', async () => {
    const source = prometheusSource(prometheus?.url ?? '', { prefillHistory: false, historyPoints: 5 });
    expect(source.target).toBe(prometheus?.url);
    const snapshot = await pollUntil(
      'Prometheus to have rates, quantiles and both nodes',
      async () => {
        const s = await source.sample();
        const ready =
          s.reachable &&
          figure(s, 'commandLatencyP99').value !== null &&
          figure(s, 'dbErrorsPerSecond').value !== null &&
          s.nodes.length === 2 &&
          s.shards.every((sh) => sh.tickLoad !== null) &&
          s.shards.length === 2 &&
          s.zones.length > 0;
        return ready ? s : undefined;
      },
      90_000,
    );
    source.close();

    expect(snapshot.source).toEqual({ kind: 'fleet', target: prometheus?.url });
    expect(snapshot.error).toBeUndefined();
    expect(snapshot.tickPeriodSeconds).toBe(0.1);
    expect(figure(snapshot, 'players').value).toBe(PLAYERS);
    expect(figure(snapshot, 'players').text).toBe(String(PLAYERS));
    expect(figure(snapshot, 'commandsPerSecond').value).toBeGreaterThan(0);
    expect(figure(snapshot, 'commandLatencyP99').text).toMatch(/ ms$/);
    expect(figure(snapshot, 'dbErrorsPerSecond').value).toBe(0);
    expect(figure(snapshot, 'shardsUp').value).toBe(1);
    expect(figure(snapshot, 'shardsUp').level).toBe('ok');
    // One engine of two answers: half the fleet is down, which is red.
    expect(figure(snapshot, 'enginesUp').value).toBe(0.5);
    expect(figure(snapshot, 'enginesUp').level).toBe('crit');
    // No node or Postgres exporter here: their figures are missing, not zero.
    expect(figure(snapshot, 'hostCpu')).toMatchObject({ value: null, text: '—', level: 'none', fill: null });
    expect(figure(snapshot, 'pgConnections').value).toBeNull();
    for (const reading of snapshot.figures) {
      const f = FIGURES[reading.id];
      expect(reading.text, reading.id).toBe(formatFigure(reading.value, f.unit));
      expect(reading.level, reading.id).toBe(figureLevel(f, reading.value));
    }
    expect(snapshot.figures.map((f) => f.id)).toEqual(Object.keys(FIGURES));

    const live = `127.0.0.1:${enginePort}`;
    expect(snapshot.nodes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ node: live, up: true, players: PLAYERS }),
        expect.objectContaining({ node: deadTarget, up: false, players: null, level: 'crit' }),
      ]),
    );
    expect(snapshot.nodes.find((n) => n.node === live)?.commandsPerSecond).toBeGreaterThan(0);
    expect(snapshot.shards.map((s) => [s.node, s.shard, s.up])).toEqual([
      [live, '0', true],
      [live, '1', true],
    ]);
    expect(snapshot.shards.reduce((n, s) => n + (s.players ?? 0), 0)).toBe(PLAYERS);
    for (const s of snapshot.shards) expect(s.tickP99Seconds, s.shard).toBeGreaterThan(0);
    expect(snapshot.zones.reduce((n, z) => n + z.players, 0)).toBe(PLAYERS);
    expect(snapshot.zones[0]).toMatchObject({ node: live });
  }, 120_000);

  it('keeps the last samples as history, pre-filled from Prometheus when asked', async () => {
    const fresh = prometheusSource(prometheus?.url ?? '', { prefillHistory: false, historyPoints: 4 });
    await fresh.sample();
    const second = await fresh.sample();
    expect(figure(second, 'players').history).toEqual([PLAYERS, PLAYERS]);

    // Prometheus's past must cover the five seconds before now: wait for eight scrapes of the engine.
    await pollUntil(
      'eight scrapes of the players gauge',
      async () => {
        const query = encodeURIComponent('count_over_time(sum(leviathan_connected_players)[10s:1s])');
        const answer = (await (await fetch(`${prometheus?.url}/api/v1/query?query=${query}`)).json()) as {
          data: { result: Array<{ value: [number, string] }> };
        };
        return Number(answer.data.result[0]?.value[1] ?? 0) >= 8 ? true : undefined;
      },
      30_000,
    );
    const prefilled = prometheusSource(prometheus?.url ?? '', { historyPoints: 6, sampleIntervalSeconds: 1 });
    const first = await prefilled.sample();
    const players = figure(first, 'players').history;
    expect(players).toHaveLength(6);
    // Five points from Prometheus's past, then this sample.
    expect(players).toEqual(Array(6).fill(PLAYERS));
  });

  // Last of the engine's tests: it stops the engine.
  it('turns the shards of an engine that went down red, not gone from the grid', async () => {
    if (traffic) clearInterval(traffic);
    traffic = undefined;
    await Promise.all(players.splice(0).map((p) => p.close().catch(() => {})));
    await engine?.close();
    engine = undefined;
    const source = prometheusSource(prometheus?.url ?? '', { prefillHistory: false });
    const live = `127.0.0.1:${enginePort}`;
    const snapshot = await pollUntil(
      'Prometheus to see the engine down',
      async () => {
        const s = await source.sample();
        return s.nodes.find((n) => n.node === live)?.up === false ? s : undefined;
      },
      30_000,
    );
    source.close();
    expect(snapshot.shards.map((s) => [s.node, s.shard, s.up, s.level])).toEqual([
      [live, '0', false, 'crit'],
      [live, '1', false, 'crit'],
    ]);
    expect(figure(snapshot, 'shardsUp')).toMatchObject({ value: 0, text: '0%', level: 'crit' });
    expect(figure(snapshot, 'enginesUp').value).toBe(0);
  }, 60_000);

  it('reads a Prometheus that refuses the connection as unreachable, saying so, without throwing', async () => {
    const source = prometheusSource(`127.0.0.1:${await freePort()}`);
    const snapshot = await source.sample();
    expect(snapshot.reachable).toBe(false);
    expect(snapshot.error).toMatch(/refused the connection/);
    expect(snapshot.figures.every((f) => f.value === null && f.text === '—')).toBe(true);
    expect(snapshot.nodes).toEqual([]);
  });

  it('gives up on a Prometheus that never answers after the timeout', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createTcpServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const source = prometheusSource(`http://127.0.0.1:${port}`, { timeoutMs: 300 });
      const snapshot = await source.sample();
      expect(snapshot.reachable).toBe(false);
      expect(snapshot.error).toBe(`http://127.0.0.1:${port} did not answer within 300 ms`);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
