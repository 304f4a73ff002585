import { getEventListeners, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PrometheusAbortedError,
  PrometheusApiError,
  PrometheusConfigError,
  PrometheusHttpError,
  PrometheusNetworkError,
  PrometheusQueryTimeoutError,
  PrometheusResponseError,
  PrometheusTimeoutError,
  PrometheusUnavailableError,
} from '../../src/prometheus/errors.js';
import { PrometheusClient } from '../../src/prometheus/index.js';

/**
 * The answers a real Prometheus rarely gives on demand (warnings from remote read, `timeout` and
 * `unavailable` errors, a proxy's HTML 502, a hung connection), served verbatim in the documented
 * envelope by a plain HTTP server so the client's handling of each is pinned down.
 */
interface Seen {
  method: string;
  url: string;
  body: string;
  headers: IncomingMessage['headers'];
}

describe('PrometheusClient on answers from the API documentation', () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];
  const hung: ServerResponse[] = [];

  const routes: Record<string, (res: ServerResponse) => void> = {
    '/prefix/api/v1/query': (res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          status: 'success',
          data: { resultType: 'vector', result: [{ metric: { job: 'x' }, value: [1.5, '-Inf'] }] },
          warnings: ['remote read partial'],
          infos: ['PromQL info: metric might not be a counter'],
        }),
      ),
    '/prefix/api/v1/query_range': (res) =>
      res.writeHead(503, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          status: 'error',
          errorType: 'timeout',
          error: 'query timed out in expression evaluation',
        }),
      ),
    '/prefix/api/v1/series': (res) =>
      res
        .writeHead(503)
        .end(JSON.stringify({ status: 'error', errorType: 'unavailable', error: 'starting' })),
    '/prefix/api/v1/labels': (res) =>
      res.writeHead(418).end(JSON.stringify({ status: 'error', errorType: 'teapot', error: 'new type' })),
    '/prefix/api/v1/alerts': (res) =>
      res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad Gateway</h1>'),
    '/prefix/api/v1/rules': (res) => res.writeHead(200).end('not json'),
    '/prefix/api/v1/metadata': (res) =>
      res.writeHead(200).end(JSON.stringify({ status: 'success', data: { m: [{ help: 'no type' }] } })),
    '/prefix/api/v1/status/buildinfo': (res) => hung.push(res),
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (c: string) => {
        body += c;
      });
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', body, headers: req.headers });
        const route = routes[(req.url ?? '').split('?')[0] ?? ''];
        if (route) route(res);
        else res.writeHead(404).end('404 page not found');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prefix/`;
  });

  afterAll(() => {
    for (const res of hung) res.destroy();
    server.close();
  });

  it('surfaces warnings and infos, keeps -Inf, posts the query as a form under the path prefix with headers', async () => {
    const prom = new PrometheusClient({ url: base, headers: { authorization: 'Bearer t' } });
    const { data, warnings, infos } = await prom.query('up{job="a&b"}', { time: new Date(0), limit: 5 });
    expect(warnings).toEqual(['remote read partial']);
    expect(infos).toEqual(['PromQL info: metric might not be a counter']);
    expect(data).toEqual({
      resultType: 'vector',
      result: [{ metric: { job: 'x' }, time: 1.5, value: Number.NEGATIVE_INFINITY, histogram: undefined }],
    });
    const request = seen.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.headers.authorization).toBe('Bearer t');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      query: 'up{job="a&b"}',
      time: '1970-01-01T00:00:00.000Z',
      limit: '5',
    });
    await prom.close();
  });

  it('maps errorType to its class and keeps unknown ones as PrometheusApiError', async () => {
    const prom = new PrometheusClient({ url: base });
    const timeout = await prom.queryRange('up', { start: 0, end: 60, step: '15s' }).catch((e: unknown) => e);
    expect(timeout).toBeInstanceOf(PrometheusQueryTimeoutError);
    expect(timeout).toMatchObject({ code: 'LEV_ERR_PROM_QUERY_TIMEOUT', status: 503, errorType: 'timeout' });
    await expect(prom.series(['up'])).rejects.toBeInstanceOf(PrometheusUnavailableError);
    const unknown = await prom.labels().catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(PrometheusApiError);
    expect(unknown).toMatchObject({ code: 'LEV_ERR_PROM_API_ERROR', errorType: 'teapot', status: 418 });
    await prom.close();
  });

  it('tells a proxy error page, a non-JSON success and a wrong shape apart', async () => {
    const prom = new PrometheusClient({ url: base });
    const proxy = await prom.alerts().catch((e: unknown) => e);
    expect(proxy).toBeInstanceOf(PrometheusHttpError);
    expect(proxy).toMatchObject({ status: 502, body: '<h1>Bad Gateway</h1>' });
    await expect(prom.rules()).rejects.toBeInstanceOf(PrometheusResponseError);
    await expect(prom.metadata()).rejects.toThrow(/expected a metric type/);
    await expect(prom.targets()).rejects.toBeInstanceOf(PrometheusHttpError);
    expect(await prom.healthy()).toBe(false);
    await prom.close();
  });

  it('times out a hung call, and aborts one on the caller signal', async () => {
    const prom = new PrometheusClient({ url: base, timeoutMs: 200 });
    const timedOut = await prom.buildInfo().catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(PrometheusTimeoutError);
    const controller = new AbortController();
    const call = prom.buildInfo({ signal: controller.signal, timeoutMs: 60_000 }).catch((e: unknown) => e);
    await new Promise((r) => setImmediate(r));
    controller.abort(new Error('shutting down'));
    const aborted = await call;
    expect(aborted).toBeInstanceOf(PrometheusAbortedError);
    expect((aborted as Error).cause).toEqual(new Error('shutting down'));
    await prom.close();
  });

  it('leaves no listener on a long-lived caller signal after its calls end', async () => {
    const prom = new PrometheusClient({ url: base });
    const lifetime = new AbortController();
    for (let i = 0; i < 20; i++) await prom.query('up', { signal: lifetime.signal });
    expect(getEventListeners(lifetime.signal, 'abort')).toHaveLength(0);
    await prom.close();
  });

  it('reports a refused connection as a network error and a bad URL as a config error', async () => {
    const prom = new PrometheusClient({ url: `http://127.0.0.1:${await freePort()}` });
    await expect(prom.ready()).rejects.toBeInstanceOf(PrometheusNetworkError);
    await prom.close();
    expect(() => new PrometheusClient({ url: 'ftp://example' })).toThrow(PrometheusConfigError);
    expect(() => new PrometheusClient({ url: 'not a url' })).toThrow(PrometheusConfigError);
  });
});
