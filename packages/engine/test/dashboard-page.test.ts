import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type HeadlessChromium, launchChromium } from '@leviathan/test-support/chromium';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardSnapshot, FigureReading } from '../src/dashboard/dashboard-snapshot.js';
import { tickPeriodText, withNodeText, withShardText } from '../src/dashboard/figure-reading.js';
import type { LeviathanServer } from '../src/index.js';
import { startServer } from './helpers/start-server.js';
import { TestClient } from './helpers/test-client.js';

/** Where the screenshots go (git-ignored): a person looks at them; the test prints the path. */
const SHOTS = resolve(import.meta.dirname, '../../../reports/dashboard');
const TOKEN_ENV = 'DASHBOARD_PAGE_TEST_TOKEN';
const TOKEN = 'page-test-token-9f8e7d6c5b4a';

let browser: HeadlessChromium;
beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  console.info(`dashboard screenshots in ${SHOTS}`);
  browser = await launchChromium({ viewport: { width: 1280, height: 800 } });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

/** The text of a figure's value on the page. */
const figureText = (page: Page, id: string) => page.locator(`[data-figure="${id}"] .value`).first();

/** Console errors and CSP violations, which must not happen. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    // The failed fetches after the engine stopped are the point of that test, not a fault.
    if (m.type() === 'error' && !m.text().includes('ERR_CONNECTION_REFUSED')) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

describe('the /dashboard page in Chromium', () => {
  it('shows live figures, the grid and the busiest zones; says unreachable when the engine stops', async () => {
    const { server, port } = await startServer({ dashboard: { enabled: true }, tickHz: 10 });
    let stopped = false;
    const clients: TestClient[] = [];
    let busy = true;
    try {
      for (const name of ['ada', 'brann', 'cyd']) clients.push(await TestClient.login(port, name));
      await clients[2]!.command('go beta');
      // Commands keep flowing while the page is watched, so rates and latency have values.
      const traffic = (async () => {
        while (busy) {
          await Promise.all(clients.map((c) => c.command('echo hello')));
          await new Promise((r) => setTimeout(r, 50));
        }
      })();

      const page = await browser.context.newPage();
      const errors = watchErrors(page);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`http://127.0.0.1:${port}/dashboard`);
      await expect.poll(() => figureText(page, 'players').textContent(), { timeout: 20_000 }).toBe('3');
      // Latency has a value with its unit once the window holds commands (not `—`).
      await expect
        .poll(() => figureText(page, 'commandLatencyP99').textContent(), { timeout: 20_000 })
        .toMatch(/^[\d.]+ (µs|ms|s)$/);
      await expect.poll(() => page.locator('#state').textContent()).toBe('live');
      expect(await page.locator('#target').textContent()).toBe(`node 127.0.0.1:${port}`);
      expect(await page.locator('#tick').textContent()).toBe('100 ms (10 Hz)');
      expect(await page.locator('[data-shard]').count()).toBe(2);
      expect(await page.locator('#boxes table td', { hasText: 'beta' }).count()).toBe(1);
      // Colours by level: a meter row carries its level's class.
      expect(await page.locator('[data-figure="commandLatencyP99"]').getAttribute('class')).toMatch(
        /lvl-(ok|warn|crit)/,
      );
      await page.waitForTimeout(3000); // a few seconds of sparkline
      await page.screenshot({ path: join(SHOTS, 'dashboard-1280x800.png') });
      // The data behind the picture, beside it, for whoever checks a colour or a number.
      const json = await page.evaluate(() => fetch('/dashboard/snapshot.json').then((r) => r.text()));
      writeFileSync(join(SHOTS, 'snapshot.json'), `${JSON.stringify(JSON.parse(json), null, 2)}\n`);
      await page.setViewportSize({ width: 800, height: 600 });
      await page.screenshot({ path: join(SHOTS, 'dashboard-800x600.png') });
      await page.screenshot({ path: join(SHOTS, 'dashboard-800x600-full.png'), fullPage: true });
      expect(errors).toEqual([]);

      busy = false;
      await traffic;
      for (const c of clients.splice(0)) c.close();
      await server.close();
      stopped = true;
      await page.setViewportSize({ width: 1280, height: 800 });
      await expect.poll(() => page.locator('#state').textContent(), { timeout: 15_000 }).toBe('unreachable');
      expect(await page.locator('#notice').textContent()).toMatch(/^engine unreachable .*last data from/);
      await page.screenshot({ path: join(SHOTS, 'dashboard-unreachable.png') });
      await page.close();
    } finally {
      busy = false;
      for (const c of clients) c.close();
      if (!stopped) await server.close();
    }
  }, 120_000);

  it('draws a shard that is down in red, and each figure in its level colour', async () => {
    const { server, port } = await startServer({ dashboard: { enabled: true } });
    try {
      const page = await browser.context.newPage();
      const errors = watchErrors(page);
      // The page as served, with a picture the engine would give with shard 1 dead: the colours
      // must follow `up` and `level` as given, whatever the numbers.
      await page.route('**/dashboard/snapshot.json', (route) =>
        route.fulfill({ contentType: 'application/json', body: JSON.stringify(shardDownSnapshot()) }),
      );
      await page.goto(`http://127.0.0.1:${port}/dashboard`);
      await expect.poll(() => page.locator('[data-shard="1"]').getAttribute('class')).toBe('cell lvl-crit');
      expect(await page.locator('[data-shard="1"]').textContent()).toContain('DOWN');
      expect(await page.locator('[data-shard="0"]').getAttribute('class')).toBe('cell lvl-ok');
      for (const [id, level] of [
        ['shardsUp', 'crit'],
        ['commandLatencyP99', 'warn'],
        ['dbQueryP99', 'none'],
      ] as const) {
        expect(await page.locator(`[data-figure="${id}"]`).getAttribute('class'), id).toBe(
          `row lvl-${level}`,
        );
      }
      expect(await figureText(page, 'dbQueryP99').textContent()).toBe('—');
      await page.screenshot({ path: join(SHOTS, 'dashboard-shard-down.png') });
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await server.close();
    }
  }, 60_000);

  it('asks for the token on 401, takes it from the form or from #token=, and keeps it for the tab', async () => {
    process.env[TOKEN_ENV] = TOKEN;
    let started: { server: LeviathanServer; port: number };
    try {
      started = await startServer({ dashboard: { enabled: true, tokenEnv: TOKEN_ENV } });
    } finally {
      delete process.env[TOKEN_ENV];
    }
    const { server, port } = started;
    const client = await TestClient.login(port, 'solo');
    try {
      const page = await browser.context.newPage();
      const errors = watchErrors(page);
      await page.goto(`http://127.0.0.1:${port}/dashboard`);
      await expect.poll(() => page.locator('#token-form').isVisible(), { timeout: 10_000 }).toBe(true);
      expect(await page.locator('#state').textContent()).toBe('token needed');
      expect(await page.locator('[data-figure]').count()).toBe(0);
      await page.screenshot({ path: join(SHOTS, 'dashboard-token-prompt.png') });

      await page.fill('#token-input', 'not-the-token');
      await page.click('#token-form button');
      await expect.poll(() => page.locator('#token-error').textContent()).toBe('that token was refused');

      await page.fill('#token-input', TOKEN);
      await page.click('#token-form button');
      await expect.poll(() => figureText(page, 'players').textContent(), { timeout: 10_000 }).toBe('1');
      expect(await page.locator('#token-form').isVisible()).toBe(false);
      // Kept in sessionStorage: a reload in the same tab needs no prompt.
      await page.reload();
      await expect.poll(() => figureText(page, 'players').textContent(), { timeout: 10_000 }).toBe('1');
      expect(await page.locator('#token-form').isVisible()).toBe(false);
      await page.close();

      // A fresh tab, the token in the fragment: used, kept, and taken out of the address.
      const linked = await browser.context.newPage();
      const linkedErrors = watchErrors(linked);
      await linked.goto(`http://127.0.0.1:${port}/dashboard#token=${TOKEN}`);
      await expect.poll(() => figureText(linked, 'players').textContent(), { timeout: 10_000 }).toBe('1');
      expect(linked.url()).toBe(`http://127.0.0.1:${port}/dashboard`);
      await linked.close();
      // 401s are expected while the token is missing or wrong; nothing else may fail.
      expect([...errors, ...linkedErrors].filter((e) => !e.includes('401'))).toEqual([]);
    } finally {
      client.close();
      await server.close();
    }
  }, 120_000);
});

/** A node whose shard 1 is down: shards up at 50 % (crit), latency high (warn), no store. */
function shardDownSnapshot(): DashboardSnapshot {
  const reading = (
    id: FigureReading['id'],
    title: string,
    unit: FigureReading['unit'],
    value: number | null,
    text: string,
    level: FigureReading['level'],
    fill: number | null,
  ): FigureReading => ({
    id,
    title,
    unit,
    value,
    text,
    level,
    fill,
    history: Array.from({ length: 30 }, (_, i) => (value === null ? null : value * (0.5 + (i % 7) / 12))),
  });
  return {
    source: { kind: 'node', target: '127.0.0.1:8080' },
    at: Date.now(),
    reachable: true,
    tickPeriodSeconds: 0.1,
    tickPeriodText: tickPeriodText(0.1),
    figures: [
      reading('players', 'Players', 'count', 412, '412', 'ok', null),
      reading('commandsPerSecond', 'Commands/s', 'perSecond', 380, '380/s', 'ok', null),
      reading('commandLatencyP99', 'Latency p99', 'seconds', 0.18, '180 ms', 'warn', 0.6),
      reading('shardsUp', 'Shards up', 'ratio', 0.5, '50%', 'crit', 0.5),
      reading('dbQueryP99', 'DB p99', 'seconds', null, '—', 'none', null),
    ],
    nodes: [
      withNodeText({
        node: '127.0.0.1:8080',
        up: true,
        players: 412,
        commandsPerSecond: 380,
        latencyP99Seconds: 0.18,
        level: 'warn',
      }),
    ],
    shards: [
      withShardText({
        node: '127.0.0.1:8080',
        shard: '0',
        up: true,
        players: 412,
        tickP99Seconds: 0.02,
        tickLoad: 0.2,
        overrunsPerSecond: 0,
        level: 'ok',
      }),
      withShardText({
        node: '127.0.0.1:8080',
        shard: '1',
        up: false,
        players: null,
        tickP99Seconds: null,
        tickLoad: null,
        overrunsPerSecond: null,
        level: 'crit',
      }),
    ],
    zones: [{ node: '127.0.0.1:8080', shard: '0', zone: 'harbor', players: 300 }],
  };
}
