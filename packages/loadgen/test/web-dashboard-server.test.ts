import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Aggregate } from '../src/metrics/aggregate.js';
import { Registry } from '../src/metrics/registry.js';
import type { IntervalPoint, RunInfo } from '../src/output/live-output.js';
import type { DashboardData } from '../src/output/web-dashboard/dashboard-data.js';
import { HtmlReport } from '../src/output/web-dashboard/html-report.js';
import { parseDashboardAddress, WebDashboard } from '../src/output/web-dashboard/web-dashboard.js';
import { buildSummary } from '../src/summary/summary.js';

const dir = mkdtempSync(join(tmpdir(), 'loadgen-dashboard-server-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const info: RunInfo = {
  scenarioFile: 'walk.ts',
  startedAt: new Date(0).toISOString(),
  scheduledEndMs: 3000,
  intervalMs: 1000,
};

function point(seq: number, iterations: number): IntervalPoint {
  const reg = new Registry();
  reg.counter('iterations').add(iterations);
  reg.gauge('vus').set(2);
  const agg = new Aggregate();
  agg.add(reg.snapshot());
  return { seq, endEpochMs: (seq + 1) * 1000, elapsedMs: (seq + 1) * 1000, intervalMs: 1000, agg };
}

function summary(errors: Record<string, number> = {}) {
  const agg = new Aggregate();
  const s = buildSummary(agg, {
    scenarioFile: 'walk.ts',
    startedAt: info.startedAt,
    durationMs: 3000,
    segments: [{ index: 0, count: 1 }],
    workers: 1,
    thresholdPlans: [],
    errors,
    warnings: [],
    generatorLagP99Ms: 0,
    generatorCpuShare: 0,
  });
  agg.destroy();
  return s;
}

/** Reads SSE events from `url` until `count` arrived or the stream ended. */
async function readEvents(
  url: string,
  count: number,
  lastEventId?: string,
): Promise<{ events: Array<{ event: string; id?: string; data: unknown }>; ended: boolean }> {
  const res = await fetch(url, {
    headers: lastEventId === undefined ? {} : { 'last-event-id': lastEventId },
  });
  expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: Array<{ event: string; id?: string; data: unknown }> = [];
  let text = '';
  while (events.length < count) {
    const { done, value } = await reader.read();
    if (done) return { events, ended: true };
    text += decoder.decode(value, { stream: true });
    let cut = text.indexOf('\n\n');
    while (cut !== -1) {
      const block = text.slice(0, cut);
      text = text.slice(cut + 2);
      cut = text.indexOf('\n\n');
      const fields = Object.fromEntries(
        block.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
      );
      if (fields.event !== undefined) {
        events.push({
          event: fields.event,
          ...(fields.id === undefined ? {} : { id: fields.id }),
          data: JSON.parse(fields.data ?? 'null'),
        });
      }
    }
  }
  await reader.cancel();
  return { events, ended: false };
}

/** The status of GET `url` sent with the given Host header (fetch does not let a caller set it). */
function statusWithHost(url: string, host: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('WebDashboard (node:http, Server-Sent Events)', () => {
  it('takes a free port for 0, serves the page under its policy and streams the run from its start', async () => {
    const announced: string[] = [];
    const dash = new WebDashboard({ port: 0, announce: (u) => announced.push(u) });
    await dash.start(info);
    try {
      expect(dash.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(dash.url).not.toContain(':0/');
      expect(announced).toEqual([dash.url]);
      const page = await fetch(dash.url as string);
      expect(page.status).toBe(200);
      const policy = page.headers.get('content-security-policy') ?? '';
      expect(policy).toMatch(
        /default-src 'none'; script-src 'sha256-[^']+' 'sha256-[^']+'; style-src 'sha256-[^']+'; connect-src 'self'/,
      );
      expect(policy).toContain("frame-ancestors 'none'");
      const html = await page.text();
      // Nothing loaded from elsewhere: no script or style by address, no absolute URL in an attribute.
      expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet|(src|href)=["']?(https?:)?\/\//);
      expect((await fetch(new URL('/nothing', dash.url))).status).toBe(404);
      expect((await fetch(dash.url as string, { method: 'POST' })).status).toBe(405);
      // DNS rebinding: a page of another name that resolves here gets nothing.
      expect(await statusWithHost(dash.url as string, 'evil.example:5665')).toBe(403);
      expect(await statusWithHost(dash.url as string, `localhost:${new URL(dash.url as string).port}`)).toBe(
        200,
      );

      dash.interval(point(0, 10));
      dash.interval(point(1, 20));
      // Opened mid-run: the start and every point so far, then each new one as it comes.
      const events = new URL('/events', dash.url);
      const reading = readEvents(events.href, 4);
      await new Promise((r) => setTimeout(r, 100));
      dash.interval(point(2, 30));
      const { events: got } = await reading;
      expect(got.map((e) => [e.event, e.id])).toEqual([
        ['start', undefined],
        ['point', '0'],
        ['point', '1'],
        ['point', '2'],
      ]);
      expect(got[0]?.data).toEqual({
        scenarioFile: 'walk.ts',
        startedAt: info.startedAt,
        scheduledEndS: 3,
        intervalMs: 1000,
      });
      expect(got.slice(1).map((e) => (e.data as { c: { iterations: number } }).c.iterations)).toEqual([
        10, 20, 30,
      ]);

      // A reconnecting page gets only what it missed.
      const again = await readEvents(events.href, 2, '1');
      expect(again.events.map((e) => [e.event, e.id])).toEqual([
        ['start', undefined],
        ['point', '2'],
      ]);

      // After the end: everything, the end, and the stream closes (the page stops reconnecting).
      const live = readEvents(events.href, 99);
      await new Promise((r) => setTimeout(r, 100));
      await dash.end(summary());
      const ended = await live;
      expect(ended.ended).toBe(true);
      expect(ended.events.at(-1)?.event).toBe('end');
      const late = await readEvents(events.href, 99);
      expect(late.ended).toBe(true);
      expect(late.events.map((e) => e.event)).toEqual(['start', 'point', 'point', 'point', 'end']);
    } finally {
      await dash.close();
    }
    await expect(fetch(dash.url as string)).rejects.toThrow();
  });

  it('parses HOST:PORT, [V6]:PORT, :PORT and PORT; 127.0.0.1:5665 by default', () => {
    expect(parseDashboardAddress(undefined)).toEqual({ host: '127.0.0.1', port: 5665 });
    expect(parseDashboardAddress('0.0.0.0:8080')).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(parseDashboardAddress('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseDashboardAddress(':7000')).toEqual({ host: '127.0.0.1', port: 7000 });
    expect(parseDashboardAddress('7000')).toEqual({ host: '127.0.0.1', port: 7000 });
    for (const bad of ['localhost', 'host:70000', 'a:b', '::1:80'])
      expect(() => parseDashboardAddress(bad)).toThrow(/expected HOST:PORT/);
  });
});

describe('HtmlReport', () => {
  it('writes the page with the run embedded, where no text can close its data block', async () => {
    const file = join(dir, 'nested', 'report.html');
    const report = new HtmlReport(file);
    await report.start(info);
    report.interval(point(0, 10));
    await report.end(summary({ 'bad </script><script>alert(1)</script>': 2 }));
    await report.close();
    const html = readFileSync(file, 'utf8');
    const block =
      /<script type="application\/json" id="dashboard-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    const data = JSON.parse(block) as DashboardData;
    expect(data.points.map((p) => p.c.iterations)).toEqual([10]);
    expect(data.end?.errors).toEqual([['bad </script><script>alert(1)</script>', 2]]);
    expect(html.match(/<script>/g)?.length).toBe(2); // uPlot and the page: no injected third
  });

  it('writes nothing for a run that ended without a summary', async () => {
    const file = join(dir, 'none.html');
    const report = new HtmlReport(file);
    await report.start(info);
    await report.close();
    expect(() => readFileSync(file)).toThrow(/ENOENT/);
  });
});
