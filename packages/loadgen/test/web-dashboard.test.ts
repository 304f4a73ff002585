import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type HeadlessChromium, launchChromium } from '@leviathan/test-support/chromium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/exit-codes.js';
import { readSummary } from '../src/summary/read-summary.js';
import type { Summary } from '../src/summary/summary.js';
import { type GameServer, startGameServer } from './fixtures/game-server.js';
import { runCli } from './fixtures/run-cli.js';

const scenario = fileURLToPath(new URL('./fixtures/scenarios/dashboard.ts', import.meta.url));
/** Screenshots a person looks at (outside the repository); the test prints where. */
const shot = (name: string) => `/tmp/wt-a-${name}.png`;
const VUS = 3;
/** A Chromium tab (Playwright's Page, named through test-support: loadgen does not depend on playwright-core). */
type Page = Awaited<ReturnType<HeadlessChromium['context']['newPage']>>;

let server: GameServer;
let browser: HeadlessChromium;
let dir: string;
beforeAll(async () => {
  server = await startGameServer();
  dir = mkdtempSync(join(tmpdir(), 'loadgen-dashboard-'));
  browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Console errors, page errors and CSP violations (reported as console errors): none may happen. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** What a plot on the page holds: its uPlot data (x values, then one array per series) and labels. */
function plotData(page: Page, id: string): Promise<{ labels: string[]; data: Array<Array<number | null>> }> {
  return page.evaluate((plotId: string) => {
    const dash = (window as unknown as { leviathanDashboard: { plots: Map<string, unknown> } })
      .leviathanDashboard;
    const u = dash.plots.get(plotId) as {
      data: Array<Array<number | null>>;
      series: Array<{ label: string }>;
    };
    return { labels: u.series.map((s) => s.label), data: u.data.map((a) => [...a]) };
  }, id);
}

const pointCount = async (page: Page) =>
  Number((await page.locator('body').getAttribute('data-points')) ?? 0);

/** A drawn plot: its canvas has a size and is not blank. */
async function drawnPlots(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      [...document.querySelectorAll('[data-plot] canvas')].filter((c) => {
        const canvas = c as HTMLCanvasElement;
        const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
        return canvas.width > 100 && pixels !== undefined && pixels.some((v, i) => i % 4 === 3 && v !== 0);
      }).length,
  );
}

describe('--out web-dashboard and --out html in Chromium', () => {
  it('plots the run live, ends with the summary, and writes a report whose numbers are the summary JSON', async () => {
    const report = join(dir, 'reports', 'report.html');
    const summaryFile = join(dir, 'summary.json');
    let announced: (url: string) => void = () => {};
    const url = new Promise<string>((resolve) => {
      announced = resolve;
    });
    const run = runCli(
      [
        'run',
        scenario,
        '--workers',
        '1',
        '--interval',
        '500ms',
        '--progress',
        'none',
        '--out',
        'web-dashboard=127.0.0.1:0',
        '--out',
        `html=${report}`,
        '--summary-export',
        summaryFile,
      ],
      { LOADGEN_TARGET: server.url, LOADGEN_VUS: String(VUS), LOADGEN_DURATION: '5s' },
      (_child, stderr) => {
        const m = /web dashboard: (http:\/\/127\.0\.0\.1:(\d+)\/)\n/.exec(stderr);
        if (m !== null) announced(m[1] as string);
      },
    );
    const address = await Promise.race([url, run.then((r) => Promise.reject(new Error(r.stderr)))]);
    expect(address).not.toBe('http://127.0.0.1:0/'); // port 0 became the port taken

    const page = await browser.context.newPage();
    const errors = watchErrors(page);
    await page.goto(address);
    await expect.poll(() => pointCount(page), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#state').textContent()).toBe('live');
    const first = await pointCount(page);
    // Intervals keep arriving: the plots grow without a reload.
    await expect.poll(() => pointCount(page), { timeout: 10_000 }).toBeGreaterThan(first);
    const vus = await plotData(page, 'vus');
    expect(vus.labels).toEqual(['time', 'vus', 'vus_max']);
    expect(vus.data[1]?.length).toBeGreaterThan(first);
    // The scenario's VUs, every interval while it runs.
    expect(new Set(vus.data[1])).toEqual(new Set([VUS]));
    const throughput = await plotData(page, 'throughput');
    expect(throughput.labels).toEqual(['time', 'iterations', 'ws commands']);
    expect(throughput.data[1]?.every((v) => v !== null && v > 0)).toBe(true);
    const latency = await plotData(page, 'trend:ws_cmd_duration');
    expect(latency.labels).toEqual(['time', 'p50', 'p95', 'p99']);
    expect(await drawnPlots(page)).toBeGreaterThanOrEqual(5);
    await page.screenshot({ path: shot('live'), fullPage: true });

    const result = await run;
    expect(result.code, result.stderr).toBe(ExitCode.Ok);
    // The open page got the end before the server closed: it says so and shows the outcome.
    await expect.poll(() => page.locator('#state').textContent(), { timeout: 10_000 }).toBe('test ended');
    expect(await page.locator('#outcome').textContent()).toMatch(
      /^Test ended after [\d.]+ s: all 2 thresholds passed\.$/,
    );
    await page.screenshot({ path: shot('live-ended'), fullPage: true });
    expect(errors).toEqual([]);
    const livePoints = await pointCount(page);
    await page.close();

    // The report, from file://, with the network off and the generator gone.
    const summary = await readSummary(summaryFile);
    await browser.context.setOffline(true);
    try {
      const file = await browser.context.newPage();
      const fileErrors = watchErrors(file);
      const requests: string[] = [];
      file.on('request', (r) => requests.push(r.url()));
      await file.goto(pathToFileURL(report).href);
      await expect.poll(() => file.locator('#state').textContent()).toBe('test ended');
      expect(await pointCount(file)).toBe(livePoints);
      expect(await drawnPlots(file)).toBeGreaterThanOrEqual(5);
      await checkNumbers(file, summary);
      await file.screenshot({ path: shot('report'), fullPage: true });
      expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
      expect(fileErrors).toEqual([]);
      await file.close();
    } finally {
      await browser.context.setOffline(false);
    }
    console.info(`screenshots: ${shot('live')}, ${shot('live-ended')}, ${shot('report')}`);
  }, 120_000);

  it('a port in use is a clear error (exit 104) before any VU starts', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const before = server.connections;
    try {
      const r = await runCli(
        ['run', scenario, '--workers', '1', '--out', `web-dashboard=127.0.0.1:${port}`],
        {
          LOADGEN_TARGET: server.url,
        },
      );
      expect(r.code).toBe(ExitCode.InvalidConfig);
      expect(r.stderr).toContain(`the web dashboard cannot listen on 127.0.0.1:${port}: the port is in use`);
      expect(server.connections).toBe(before);
    } finally {
      taken.close();
    }
  });

  it('a malformed address is a usage error (exit 2)', async () => {
    const r = await runCli(['run', scenario, '--out', 'web-dashboard=localhost:99999']);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toMatch(/--out web-dashboard=localhost:99999: expected HOST:PORT/);
  });
});

/** The report's sums and table against the summary JSON of the same run. */
async function checkNumbers(page: Page, summary: Summary): Promise<void> {
  const cell = (metric: string, stat: string) =>
    page.locator(`tr[data-metric="${metric}"] td[data-stat="${stat}"]`).getAttribute('data-v').then(Number);
  const iterations = summary.metrics.iterations;
  const cmd = summary.metrics.ws_cmd_duration;
  if (iterations?.type !== 'counter' || cmd?.type !== 'trend')
    throw new Error('metrics missing from the summary');
  expect(await cell('iterations', 'count')).toBe(iterations.values.count);
  expect(await cell('ws_cmd_duration', 'p(99)')).toBe(cmd.values['p(99)']);
  expect(await cell('ws_cmd_duration', 'count')).toBe(cmd.values.count);
  // What a person reads: the p99 rounded to 2 decimals with its unit.
  expect(await page.locator('tr[data-metric="ws_cmd_duration"] td[data-stat="p(99)"]').textContent()).toMatch(
    new RegExp(
      `^${cmd.values['p(99)'] < 1 ? '\\d+ µs' : `${cmd.values['p(99)'].toFixed(2).replace('.', '\\.')} ms`}$`,
    ),
  );
  // The plotted points are per interval: iterations/s × each interval's span add up to the total.
  const throughput = await plotData(page, 'throughput');
  const spans = await page.evaluate(() =>
    (
      window as unknown as { leviathanDashboard: { points: Array<{ s: number }> } }
    ).leviathanDashboard.points.map((p) => p.s),
  );
  const plotted = (throughput.data[1] ?? []).reduce<number>((n, v, i) => n + (v ?? 0) * (spans[i] ?? 0), 0);
  expect(Math.round(plotted)).toBe(iterations.values.count);
  for (const t of summary.thresholds) {
    expect(await page.locator(`tr[data-metric="${t.metric}"][data-ok]`).getAttribute('data-ok')).toBe(
      String(t.ok),
    );
  }
  const checks = Object.keys(summary.metrics).filter((k) => /^checks\{check:[^,]*\}$/.test(k));
  expect(await page.locator('tr[data-check]').count()).toBe(checks.length);
}
