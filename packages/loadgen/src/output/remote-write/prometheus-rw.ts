import { hostname } from 'node:os';
import { basename, extname } from 'node:path';
import { UsageError } from '../../errors.js';
import type { IntervalPoint, LiveOutput, RunInfo } from '../live-output.js';
import { encodeWriteRequest } from './protobuf.js';
import { RemoteWriteSender, type SenderOptions } from './sender.js';
import { SeriesBuilder } from './series.js';

/** Where the output sends when `--out prometheus-rw` has no URL: a Prometheus on this machine. */
export const DEFAULT_REMOTE_WRITE_URL = 'http://localhost:9090/api/v1/write';

/** The environment variables the output reads (k6's K6_PROMETHEUS_RW_* in our namespace). */
export const REMOTE_WRITE_ENV = {
  url: 'LEVIATHAN_PROMETHEUS_RW_URL',
  testid: 'LEVIATHAN_PROMETHEUS_RW_TESTID',
  instance: 'LEVIATHAN_PROMETHEUS_RW_INSTANCE',
} as const;

export interface PrometheusRemoteWriteOptions {
  /** The receiver, e.g. `http://prometheus:9090/api/v1/write`; a user and password in it become Basic auth. */
  url: string;
  /** The `testid` label. @default `<scenario file name>-<start time>`, e.g. `mud-20261206T014512Z` */
  testid?: string;
  /** The `instance` label. @default this machine's host name */
  instance?: string;
  /** How long `close` waits for what is still queued. @default 5000 (ms) */
  flushTimeoutMs?: number;
  /** Where failures go. @default a `warning: prometheus-rw: …` line on stderr */
  warn?: (message: string) => void;
  /** Queue, retries and timeouts of the sender (tests shorten them). */
  sender?: Omit<SenderOptions, 'url' | 'headers' | 'warn'>;
}

/** `mud-20261206T014512Z`: the scenario's file name and the start to the second, a label value that sorts by time. */
export function defaultTestId(info: Pick<RunInfo, 'scenarioFile' | 'startedAt'>): string {
  const file = basename(info.scenarioFile, extname(info.scenarioFile));
  return `${file}-${info.startedAt.replace(/[-:]/g, '').replace(/\.\d+/, '')}`;
}

/**
 * `--out prometheus-rw[=URL]`: each interval of the run as Prometheus remote-write 1.0 series
 * (names and labels in docs/loadgen.md, "Prometheus remote write"), sent beside the run, never in
 * its way: a receiver that is down, slow or refusing costs warnings and a line at the end, not the
 * run nor its exit code.
 */
export class PrometheusRemoteWrite implements LiveOutput {
  readonly #options: PrometheusRemoteWriteOptions;
  readonly #sender: RemoteWriteSender;
  readonly #warn: (message: string) => void;
  #series: SeriesBuilder | undefined;
  #testid = '';

  constructor(options: PrometheusRemoteWriteOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new UsageError(
        `--out prometheus-rw=${options.url}: not a URL (expected http://host:9090/api/v1/write)`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new UsageError(`--out prometheus-rw=${options.url}: only http and https receivers are supported`);
    // fetch refuses a URL with credentials: they travel as a header instead.
    const headers: Record<string, string> = {};
    if (url.username !== '' || url.password !== '') {
      const user = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      headers.Authorization = `Basic ${Buffer.from(user).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    this.#options = options;
    // In a terminal the progress line is being rewritten: clear it first, as Progress.message does
    // (the next interval draws it again).
    const clear = process.stderr.isTTY ? '\r\x1b[2K' : '';
    this.#warn = options.warn ?? ((m) => process.stderr.write(`${clear}warning: prometheus-rw: ${m}\n`));
    this.#sender = new RemoteWriteSender({
      ...options.sender,
      url: url.toString(),
      headers,
      warn: this.#warn,
    });
  }

  /** The `testid` label of this run's series (known from `start`). */
  get testid(): string {
    return this.#testid;
  }

  async start(info: RunInfo): Promise<void> {
    this.#testid = this.#options.testid ?? defaultTestId(info);
    const segment = info.segment;
    this.#series = new SeriesBuilder(
      {
        testid: this.#testid,
        instance: this.#options.instance ?? hostname(),
        ...(segment === undefined || segment.count === 1
          ? {}
          : { segment: `${segment.index + 1}/${segment.count}` }),
      },
      info.selectorKeys,
    );
  }

  interval(point: IntervalPoint): void {
    if (this.#series === undefined) return;
    const series = this.#series.interval(point);
    if (series.length > 0) this.#sender.push(encodeWriteRequest(series));
  }

  /** Sends what is queued (at most `flushTimeoutMs`); says on stderr what did not arrive. Never rejects. */
  async close(): Promise<void> {
    await this.#sender.flush(this.#options.flushTimeoutMs ?? 5000);
    const { sent, failed, dropped, lastError } = this.#sender.stats;
    if (failed > 0 || dropped > 0)
      this.#warn(
        `${sent} of ${sent + failed + dropped} intervals reached the receiver (${failed} failed, ${dropped} dropped)${lastError === undefined ? '' : `; last error: ${lastError}`}`,
      );
  }
}

/** The output of `--out prometheus-rw[=URL]`, its URL, testid and instance also from the environment. */
export function prometheusRemoteWriteFromFlag(
  target: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): PrometheusRemoteWrite {
  const testid = env[REMOTE_WRITE_ENV.testid];
  const instance = env[REMOTE_WRITE_ENV.instance];
  return new PrometheusRemoteWrite({
    url: target ?? env[REMOTE_WRITE_ENV.url] ?? DEFAULT_REMOTE_WRITE_URL,
    ...(testid === undefined || testid === '' ? {} : { testid }),
    ...(instance === undefined || instance === '' ? {} : { instance }),
  });
}
