import { setTimeout as sleep } from 'node:timers/promises';
import snappy from 'snappyjs';

export interface SenderOptions {
  url: string;
  /** Extra request headers (an Authorization made from the URL's user and password). */
  headers?: Readonly<Record<string, string>>;
  /** Bodies waiting at most; past it the oldest is dropped (a receiver slower than the run). @default 120 */
  maxQueue?: number;
  /** Attempts of one body on a 5xx, a 429 or a network error. @default 4 */
  maxAttempts?: number;
  /** First wait before a retry; it doubles each attempt. @default 250 (ms) */
  backoffMs?: number;
  /** Timeout of one request. @default 10 000 (ms) */
  requestTimeoutMs?: number;
  /** Where a failure goes, once per kind of failure (the CLI writes it on stderr). */
  warn: (message: string) => void;
}

/** What a sender did, for the line it writes at the end. */
export interface SenderStats {
  sent: number;
  /** Bodies refused (4xx) or given up after every attempt. */
  failed: number;
  /** Bodies dropped from a full queue, or still queued when the final flush timed out. */
  dropped: number;
  lastError: string | undefined;
}

/** A failure worth retrying: the receiver is down, overloaded or failing, not refusing the body. */
class RetryableError extends Error {}

/**
 * Sends snappy-compressed remote-write bodies one at a time, in order, off the run's path: `push`
 * only queues (the interval callback never waits on the network); a loop drains the queue with
 * retries and backoff on 5xx, 429 and network errors. A 4xx is the receiver refusing the body
 * (out-of-order samples, a bad label): retrying cannot help, so it is warned about with the
 * receiver's own message and dropped.
 */
export class RemoteWriteSender {
  readonly #options: Required<Omit<SenderOptions, 'headers'>> & { headers: Readonly<Record<string, string>> };
  readonly #queue: Uint8Array<ArrayBuffer>[] = [];
  readonly #warned = new Set<string>();
  readonly #stop = new AbortController();
  readonly #stats: SenderStats = { sent: 0, failed: 0, dropped: 0, lastError: undefined };
  #draining: Promise<void> | undefined;

  constructor(options: SenderOptions) {
    this.#options = {
      maxQueue: 120,
      maxAttempts: 4,
      backoffMs: 250,
      requestTimeoutMs: 10_000,
      headers: {},
      ...options,
    };
  }

  get stats(): Readonly<SenderStats> {
    return this.#stats;
  }

  /** Queues a protobuf WriteRequest; never throws, never waits. */
  push(body: Uint8Array<ArrayBuffer>): void {
    if (this.#stop.signal.aborted) return;
    this.#queue.push(body);
    if (this.#queue.length > this.#options.maxQueue) {
      this.#queue.shift();
      this.#stats.dropped++;
      this.#warnOnce(
        'dropped',
        `the receiver is slower than the run; the oldest intervals are dropped (queue of ${this.#options.maxQueue})`,
      );
    }
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = undefined;
    });
  }

  /**
   * Sends what is queued, waiting at most `timeoutMs`; what is left then is counted as dropped.
   * Never rejects: a run's result does not depend on its receiver.
   */
  async flush(timeoutMs: number): Promise<void> {
    const timer = setTimeout(() => this.#stop.abort(), timeoutMs);
    try {
      await this.#draining;
    } finally {
      clearTimeout(timer);
      this.#stop.abort();
      this.#stats.dropped += this.#queue.length;
      this.#queue.length = 0;
    }
  }

  async #drain(): Promise<void> {
    for (let body = this.#queue[0]; body !== undefined && !this.#stop.signal.aborted; body = this.#queue[0]) {
      await this.#sendWithRetries(snappy.compress(body));
      // The body sent (or given up) is the head, unless a full queue dropped it meanwhile.
      if (this.#queue[0] === body) this.#queue.shift();
    }
  }

  async #sendWithRetries(compressed: Uint8Array<ArrayBuffer>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#post(compressed);
        this.#stats.sent++;
        return;
      } catch (e) {
        if (this.#stop.signal.aborted) return;
        const message = e instanceof Error ? e.message : String(e);
        this.#stats.lastError = message;
        if (!(e instanceof RetryableError) || attempt >= this.#options.maxAttempts) {
          this.#stats.failed++;
          this.#warnOnce(message.slice(0, 40), message);
          return;
        }
        try {
          await sleep(this.#options.backoffMs * 2 ** (attempt - 1), undefined, { signal: this.#stop.signal });
        } catch {
          return; // the final flush timed out while waiting
        }
      }
    }
  }

  async #post(compressed: Uint8Array<ArrayBuffer>): Promise<void> {
    let res: Response;
    try {
      res = await fetch(this.#options.url, {
        method: 'POST',
        headers: {
          'Content-Encoding': 'snappy',
          'Content-Type': 'application/x-protobuf',
          'User-Agent': 'leviathan-load',
          'X-Prometheus-Remote-Write-Version': '0.1.0',
          ...this.#options.headers,
        },
        body: compressed,
        signal: AbortSignal.any([this.#stop.signal, AbortSignal.timeout(this.#options.requestTimeoutMs)]),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new RetryableError(
        `${this.#options.url}: ${cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e))}`,
      );
    }
    if (res.ok) {
      await res.body?.cancel();
      return;
    }
    const text = (await res.text().catch(() => '')).trim().slice(0, 300);
    const message = `${this.#options.url} answered ${res.status}${text.length > 0 ? `: ${text}` : ''}`;
    if (res.status >= 500 || res.status === 429) throw new RetryableError(message);
    throw new Error(message);
  }

  #warnOnce(kind: string, message: string): void {
    if (this.#warned.has(kind)) return;
    this.#warned.add(kind);
    this.#options.warn(message);
  }
}
