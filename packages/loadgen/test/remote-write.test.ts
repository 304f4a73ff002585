import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '@leviathan/test-support';
import snappy from 'snappyjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLiveOutputs, outKindsUsage, parseOutFlags } from '../src/cli/outputs.js';
import { UsageError } from '../src/errors.js';
import { Aggregate } from '../src/metrics/aggregate.js';
import { Registry } from '../src/metrics/registry.js';
import type { IntervalPoint } from '../src/output/live-output.js';
import { defaultTestId, PrometheusRemoteWrite } from '../src/output/remote-write/prometheus-rw.js';
import { encodeWriteRequest, type TimeSeries } from '../src/output/remote-write/protobuf.js';
import { RemoteWriteSender } from '../src/output/remote-write/sender.js';
import { labelName, SeriesBuilder } from '../src/output/remote-write/series.js';
import { decodeWriteRequest } from './remote-write-decode.js';

/** The labels of a decoded series as an object, for readable expectations. */
const labelsOf = (s: TimeSeries) => Object.fromEntries(s.labels.map((l) => [l.name, l.value]));
const find = (all: TimeSeries[], labels: Record<string, string>) =>
  all.filter((s) => Object.entries(labels).every(([k, v]) => labelsOf(s)[k] === v));
const only = (all: TimeSeries[], labels: Record<string, string>): number => {
  const found = find(all, labels);
  if (found.length !== 1) throw new Error(`${found.length} series match ${JSON.stringify(labels)}`);
  return found[0]?.samples[0]?.value as number;
};

describe('the WriteRequest encoder', () => {
  it('writes what a protobuf reader of the wire format reads back', () => {
    const series: TimeSeries[] = [
      {
        labels: [
          { name: '__name__', value: 'leviathan_load_iterations_total' },
          { name: 'check', value: 'réponse ✓ — ok' },
          { name: 'testid', value: 'x'.repeat(300) }, // a length over one varint byte
        ],
        samples: [
          { value: 42, timestampMs: 1_796_521_512_345 }, // past 2^32: a 6-byte varint
          { value: -0.125, timestampMs: 0 },
          { value: Number.POSITIVE_INFINITY, timestampMs: 1 },
        ],
      },
      { labels: [{ name: '__name__', value: 'empty' }], samples: [] },
    ];
    expect(decodeWriteRequest(encodeWriteRequest(series))).toEqual(series);
    expect(encodeWriteRequest([])).toHaveLength(0);
  });

  it('keeps NaN (a staleness marker is one) and refuses a timestamp that is not whole ms', () => {
    const [decoded] = decodeWriteRequest(
      encodeWriteRequest([{ labels: [], samples: [{ value: Number.NaN, timestampMs: 5 }] }]),
    );
    expect(decoded?.samples[0]?.value).toBeNaN();
    expect(() => encodeWriteRequest([{ labels: [], samples: [{ value: 1, timestampMs: 1.5 }] }])).toThrow(
      RangeError,
    );
  });
});

describe('series of an interval', () => {
  /** An interval as runTest hands it: a real registry's snapshot, merged like the workers'. */
  function interval(seq: number, record: (r: Registry) => void, tracked: string[] = []): IntervalPoint {
    const registry = new Registry(tracked);
    record(registry);
    const agg = new Aggregate();
    agg.add(registry.snapshot());
    return {
      seq,
      endEpochMs: 1_796_000_000_000 + (seq + 1) * 1000,
      elapsedMs: (seq + 1) * 1000,
      intervalMs: 1000,
      agg,
    };
  }
  const walkers = { scenario: 'walkers' };
  const sailors = { scenario: 'sailors' };

  it('partitions each metric by full tag set, so sum() over a metric is its total', () => {
    const builder = new SeriesBuilder({ testid: 't1', instance: 'gen-1' });
    const series = builder.interval(
      interval(
        0,
        (r) => {
          r.counter('iterations').add(3, walkers);
          r.counter('iterations').add(2, sailors);
          r.counter('iterations').add(1); // untagged: its own series
          // A check with a threshold on it: `checks{check:ok}` sums some tag sets, it is not sent.
          r.rate('checks').addCheck('checks{check:ok}', true, { check: 'ok' }, walkers);
          r.rate('checks').addCheck('checks{check:ok}', false, { check: 'ok' }, walkers);
          r.rate('checks').addCheck('checks{check:ok}', true, { check: 'ok' }, sailors);
        },
        ['checks{check:ok}'],
      ),
    );
    const iterations = find(series, { __name__: 'leviathan_load_iterations_total' });
    expect(iterations.map(labelsOf)).toHaveLength(3);
    expect(only(series, { __name__: 'leviathan_load_iterations_total', scenario: 'walkers' })).toBe(3);
    expect(only(series, { __name__: 'leviathan_load_iterations_total', scenario: 'sailors' })).toBe(2);
    const untagged = iterations.find((s) => labelsOf(s).scenario === undefined);
    expect(untagged?.samples[0]?.value).toBe(1);
    const passes = find(series, { __name__: 'leviathan_load_checks_passes_total' });
    expect(
      passes
        .map(labelsOf)
        .map((l) => `${l.check}/${l.scenario}`)
        .sort(),
    ).toEqual(['ok/sailors', 'ok/walkers']);
    expect(only(series, { __name__: 'leviathan_load_checks_fails_total', scenario: 'walkers' })).toBe(1);
    // Every series carries the common labels, sorted by name as remote write requires.
    for (const s of series) {
      expect(labelsOf(s)).toMatchObject({ testid: 't1', instance: 'gen-1' });
      const names = s.labels.map((l) => l.name);
      expect(names).toEqual([...names].sort());
    }
  });

  it('leaves out a threshold’s tag filter, keeping tag sets that are subsets of others', () => {
    const selector = 'ws_cmd_duration{group:::login}';
    const builder = new SeriesBuilder({ testid: 't', instance: 'i' }, [selector]);
    const point = interval(
      0,
      (r) => {
        r.trend('ws_cmd_duration').add(5, undefined, walkers); // outside any group
        r.trend('ws_cmd_duration').add(7, { group: '::login' }, walkers);
        r.trend('ws_cmd_duration').add(9, { group: '::login' }, walkers);
      },
      [selector],
    );
    expect(point.agg.keys()).toContain(selector);
    const series = builder.interval(point);
    const counts = find(series, { __name__: 'leviathan_load_ws_cmd_duration_seconds_count' });
    expect(counts.map((s) => [labelsOf(s).group, labelsOf(s).scenario, s.samples[0]?.value])).toEqual(
      expect.arrayContaining([
        [undefined, 'walkers', 1],
        ['::login', 'walkers', 2],
      ]),
    );
    expect(counts).toHaveLength(2);
    expect(
      only(series, {
        ...{ __name__: 'leviathan_load_ws_cmd_duration_seconds' },
        group: '::login',
        quantile: '1',
      }),
    ).toBeCloseTo(0.009, 4);
  });

  it('counters are cumulative and sent again when an interval has none of their samples', () => {
    const builder = new SeriesBuilder({ testid: 't', instance: 'i' });
    builder.interval(interval(0, (r) => r.counter('iterations').add(4, walkers)));
    const second = builder.interval(interval(1, (r) => r.gauge('vus').set(2)));
    expect(only(second, { __name__: 'leviathan_load_iterations_total', scenario: 'walkers' })).toBe(4);
    expect(only(second, { __name__: 'leviathan_load_vus' })).toBe(2);
    const third = builder.interval(interval(2, (r) => r.counter('iterations').add(1, walkers)));
    expect(only(third, { __name__: 'leviathan_load_iterations_total', scenario: 'walkers' })).toBe(5);
    expect(find(third, { __name__: 'leviathan_load_vus' })).toHaveLength(0); // a level is the interval's own
    expect(third[0]?.samples[0]?.timestampMs).toBe(1_796_000_003_000);
  });

  it('time trends in seconds: quantile gauges of the interval, cumulative count and sum', () => {
    const builder = new SeriesBuilder({ testid: 't', instance: 'i' });
    const latencies = [10, 20, 30, 40, 1000]; // ms
    builder.interval(
      interval(0, (r) => {
        for (const v of latencies) r.trend('ws_cmd_duration').add(v, walkers);
      }),
    );
    const series = builder.interval(interval(1, (r) => r.trend('ws_cmd_duration').add(50, walkers)));
    const base = { __name__: 'leviathan_load_ws_cmd_duration_seconds', scenario: 'walkers' };
    expect(only(series, { ...base, quantile: '1' })).toBeCloseTo(0.05, 3); // interval 1's own max
    expect(only(series, { __name__: 'leviathan_load_ws_cmd_duration_seconds_count' })).toBe(6);
    expect(only(series, { __name__: 'leviathan_load_ws_cmd_duration_seconds_sum' })).toBeCloseTo(1.15, 3);
    const first = builder.interval(
      interval(2, (r) => {
        for (const v of latencies) r.trend('ws_cmd_duration').add(v, walkers);
      }),
    );
    expect(only(first, { ...base, quantile: '0.5' })).toBeCloseTo(0.03, 3);
    expect(only(first, { ...base, quantile: '0.99' })).toBeCloseTo(1, 2);
    // A trend that is not a time keeps its unit and has no `_seconds`.
    const plain = builder.interval(interval(3, (r) => r.trend('room_size', false).add(7)));
    expect(only(plain, { __name__: 'leviathan_load_room_size', quantile: '0.5' })).toBeCloseTo(7, 2);
  });

  it('tag and metric names become Prometheus names; our own labels are never overwritten', () => {
    expect(labelName('status-code')).toBe('status_code');
    expect(labelName('1st')).toBe('_1st');
    expect(labelName('instance')).toBe('tag_instance');
    expect(labelName('__overflow__')).toBe('tag___overflow__');
    const series = new SeriesBuilder({ testid: 't', instance: 'gen' }).interval(
      interval(0, (r) => r.counter('rooms.entered').add(1, { instance: 'room-7' })),
    );
    expect(only(series, { __name__: 'leviathan_load_rooms_entered_total', tag_instance: 'room-7' })).toBe(1);
    expect(find(series, { instance: 'gen' })).toHaveLength(1);
  });

  it('the default testid is the scenario file and the start time', () => {
    expect(
      defaultTestId({ scenarioFile: 'examples/load-test/mud.ts', startedAt: '2026-12-06T01:45:12.345Z' }),
    ).toBe('mud-20261206T014512Z');
  });
});

describe('sending', () => {
  let server: Server;
  let url: string;
  /** What the receiver got, decoded; and how it answers the next requests. */
  const received: TimeSeries[][] = [];
  const headers: IncomingMessage['headers'][] = [];
  let answers: number[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = answers.shift() ?? 204;
        if (status === 204) {
          headers.push(req.headers);
          received.push(decodeWriteRequest(snappy.uncompress(new Uint8Array(Buffer.concat(chunks)))));
        }
        res.writeHead(status).end(status === 400 ? 'out of order sample' : '');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/write`;
  });
  afterAll(() => server.close());

  const body = (value: number) =>
    encodeWriteRequest([
      { labels: [{ name: '__name__', value: 'x' }], samples: [{ value, timestampMs: value }] },
    ]);

  it('sends snappy protobuf with the remote-write headers, in order, retrying a 5xx', async () => {
    received.length = 0;
    headers.length = 0;
    answers = [500, 503];
    const warnings: string[] = [];
    const sender = new RemoteWriteSender({ url, backoffMs: 1, warn: (m) => warnings.push(m) });
    for (let i = 1; i <= 3; i++) sender.push(body(i));
    await sender.flush(10_000);
    expect(received.map((r) => r[0]?.samples[0]?.value)).toEqual([1, 2, 3]);
    expect(headers[0]).toMatchObject({
      'content-encoding': 'snappy',
      'content-type': 'application/x-protobuf',
      'x-prometheus-remote-write-version': '0.1.0',
    });
    expect(sender.stats).toMatchObject({ sent: 3, failed: 0, dropped: 0 });
    expect(warnings).toEqual([]);
  });

  it('does not retry a 4xx and warns with the receiver’s message', async () => {
    received.length = 0;
    answers = [400];
    const warnings: string[] = [];
    const sender = new RemoteWriteSender({ url, backoffMs: 1, warn: (m) => warnings.push(m) });
    sender.push(body(1));
    sender.push(body(2));
    await sender.flush(10_000);
    expect(received.map((r) => r[0]?.samples[0]?.value)).toEqual([2]);
    expect(sender.stats).toMatchObject({ sent: 1, failed: 1 });
    expect(warnings).toEqual([`${url} answered 400: out of order sample`]);
  });

  it('a queue past its bound drops the oldest and counts them', async () => {
    const warnings: string[] = [];
    // Nothing listens: every body waits on its retries while the run goes on.
    const sender = new RemoteWriteSender({
      url: `http://127.0.0.1:${await freePort()}/api/v1/write`,
      maxQueue: 3,
      backoffMs: 60_000,
      warn: (m) => warnings.push(m),
    });
    for (let i = 0; i < 10; i++) sender.push(body(i));
    await sender.flush(200);
    expect(sender.stats.sent).toBe(0);
    expect(sender.stats.dropped).toBe(10);
    expect(warnings.some((w) => w.includes('oldest intervals are dropped'))).toBe(true);
    expect(warnings.some((w) => w.includes('ECONNREFUSED'))).toBe(false); // still retrying, not failed yet
  });

  it('refuses a target that is not an http URL', () => {
    expect(() => new PrometheusRemoteWrite({ url: 'prometheus:9090' })).toThrow(UsageError);
    expect(() => new PrometheusRemoteWrite({ url: 'not a url' })).toThrow(UsageError);
    expect(() => makeLiveOutputs(parseOutFlags(['prometheus-rw=localhost:9090']))).toThrow(
      /--out prometheus-rw=localhost:9090: only http and https receivers are supported/,
    );
  });

  it('is the --out kind prometheus-rw, its URL optional', () => {
    expect(outKindsUsage()).toContain('prometheus-rw[=URL]');
    const flags = parseOutFlags(['prometheus-rw', `prometheus-rw=${url}`]);
    expect(flags.live).toEqual([
      { kind: 'prometheus-rw', target: undefined },
      { kind: 'prometheus-rw', target: url },
    ]);
    for (const output of makeLiveOutputs(flags)) expect(output).toBeInstanceOf(PrometheusRemoteWrite);
  });
});
