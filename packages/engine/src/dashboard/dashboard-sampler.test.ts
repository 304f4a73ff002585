import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger.js';
import { aggregateMetrics, collectThreadMetrics } from '../metrics/aggregate-metrics.js';
import { createThreadMetrics, type ThreadMetrics } from '../metrics/thread-metrics.js';
import { DashboardSampler } from './dashboard-sampler.js';
import type { DashboardSnapshot } from './dashboard-snapshot.js';
import { ExpositionSampler } from './exposition-sampler.js';

const log = createLogger({ level: 'silent' });

describe('DashboardSampler', () => {
  const open: Array<ThreadMetrics | DashboardSampler> = [];
  afterEach(() => {
    for (const o of open.splice(0)) o instanceof DashboardSampler ? o.stop() : o.close();
  });

  /** A gateway's and main's real registries, merged as `/metrics` merges them; counts the scrapes. */
  function engine() {
    const gateway = createThreadMetrics(new Registry(), { thread: 'gateway-0' });
    const main = createThreadMetrics(new Registry(), { thread: 'main' });
    open.push(gateway, main);
    main.tickPeriod.set(0.05);
    main.shardUp.set({ shard: '0' }, 1);
    let scrapes = 0;
    const scrape = async () => {
      scrapes++;
      return aggregateMetrics(
        await Promise.all([gateway, main].map((t) => collectThreadMetrics(t.registry))),
      );
    };
    return { gateway, scrape, scrapes: () => scrapes };
  }

  it('serves the latest snapshot to any number of readers from one scrape per interval', async () => {
    const e = engine();
    e.gateway.connectedPlayers.set(7);
    const sampler = new DashboardSampler({
      maker: new ExpositionSampler({ target: '127.0.0.1:1' }),
      scrape: e.scrape,
      log,
      intervalMs: 60_000,
    });
    open.push(sampler);
    sampler.start();
    const answers = await Promise.all(Array.from({ length: 50 }, () => sampler.json()));
    expect(e.scrapes()).toBe(1);
    expect(new Set(answers).size).toBe(1);
    const snapshot = JSON.parse(answers[0]!) as DashboardSnapshot;
    expect(snapshot.reachable).toBe(true);
    expect(snapshot.tickPeriodSeconds).toBe(0.05);
    expect(snapshot.figures.find((f) => f.id === 'players')?.value).toBe(7);
  });

  it('samples again every interval, and says unreachable when a scrape fails', async () => {
    const e = engine();
    let fail = false;
    const sampler = new DashboardSampler({
      maker: new ExpositionSampler({ target: '127.0.0.1:1' }),
      scrape: () => (fail ? Promise.reject(new Error('shard 0 did not answer')) : e.scrape()),
      log,
      intervalMs: 20,
    });
    open.push(sampler);
    sampler.start();
    const first = JSON.parse(await sampler.json()) as DashboardSnapshot;
    expect(first.reachable).toBe(true);
    fail = true;
    let last = first;
    for (let i = 0; i < 200 && last.reachable; i++) {
      await new Promise((r) => setTimeout(r, 10));
      last = JSON.parse(await sampler.json()) as DashboardSnapshot;
    }
    expect(last.reachable).toBe(false);
    expect(last.error).toBe('shard 0 did not answer');
    expect(last.at).toBeGreaterThan(first.at - 1);
  });

  it('samples only while someone reads: it stops after idleMs without a read, and a read wakes it', async () => {
    const e = engine();
    const sampler = new DashboardSampler({
      maker: new ExpositionSampler({ target: '127.0.0.1:1' }),
      scrape: e.scrape,
      log,
      intervalMs: 10,
      idleMs: 60,
    });
    open.push(sampler);
    sampler.start();
    expect(sampler.sampling).toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    expect(e.scrapes()).toBe(0); // enabled, nobody watching: nothing sampled
    await sampler.json();
    expect(sampler.sampling).toBe(true);
    for (let i = 0; i < 100 && sampler.sampling; i++) await new Promise((r) => setTimeout(r, 10));
    expect(sampler.sampling).toBe(false);
    const asleep = e.scrapes();
    expect(asleep).toBeGreaterThan(1); // it sampled on its own while watched
    await new Promise((r) => setTimeout(r, 50));
    expect(e.scrapes()).toBe(asleep);
    const woken = JSON.parse(await sampler.json()) as DashboardSnapshot;
    expect(e.scrapes()).toBe(asleep + 1); // a fresh sample for the returning viewer
    expect(woken.reachable).toBe(true);
  });

  it('before start, has nothing to give', async () => {
    const sampler = new DashboardSampler({
      maker: new ExpositionSampler({ target: 'x' }),
      scrape: () => Promise.resolve(''),
      log,
    });
    await expect(sampler.json()).rejects.toThrow(/not running/);
  });
});
