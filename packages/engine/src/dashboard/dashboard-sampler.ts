import type { Logger } from '../logging/logger.js';
import type { DashboardSnapshot } from './dashboard-snapshot.js';

/** Turns successive exposition texts into snapshots: ExpositionSampler, in node mode. */
export interface SnapshotMaker {
  add(text: string, atMs: number): DashboardSnapshot;
  unreachable(error: string, atMs: number): DashboardSnapshot;
}

export interface DashboardSamplerOptions {
  readonly maker: SnapshotMaker;
  /** The whole server's exposition text, as `/metrics` serves it (main's scrapeThreads). */
  readonly scrape: () => Promise<string>;
  readonly log: Logger;
  /**
   * Time between samples, in milliseconds: the page polls at the same period.
   * @default 1000
   */
  readonly intervalMs?: number;
  /**
   * Sampling stops this long after the last read, in milliseconds, and starts again at the next.
   * @default 5000
   */
  readonly idleMs?: number;
}

/**
 * The dashboard's one sampler, on the main thread where `/metrics` is aggregated: while someone
 * watches, it scrapes every thread once per interval and keeps the snapshot as JSON, serialized
 * once. Viewers read that string, so their number changes nothing but the copies sent to them.
 * Nobody watching (no read for `idleMs`), it stops: an engine with the dashboard enabled and
 * closed costs nothing; the next read wakes it and waits for a fresh sample. The sparklines keep
 * their points across such a pause. A scrape still running when the next is due is not doubled.
 * What watching costs at 10,000 players: benchmarks/src/dashboard.
 */
export class DashboardSampler {
  readonly #maker: SnapshotMaker;
  readonly #scrape: () => Promise<string>;
  readonly #log: Logger;
  readonly #intervalMs: number;
  readonly #idleMs: number;
  #enabled = false;
  #timer: NodeJS.Timeout | undefined = undefined;
  #running: Promise<void> | undefined = undefined;
  #json: string | undefined = undefined;
  #lastRead = 0;
  /** Whether the previous sample failed, so a lasting failure is logged once, not every second. */
  #failing = false;

  constructor(options: DashboardSamplerOptions) {
    this.#maker = options.maker;
    this.#scrape = options.scrape;
    this.#log = options.log;
    this.#intervalMs = options.intervalMs ?? 1000;
    this.#idleMs = options.idleMs ?? 5000;
  }

  /** Lets reads wake the sampler (nothing is sampled until the first read). */
  start(): void {
    this.#enabled = true;
  }

  stop(): void {
    this.#enabled = false;
    this.#sleep();
  }

  /** Whether it is sampling now (someone read within `idleMs`). */
  get sampling(): boolean {
    return this.#timer !== undefined;
  }

  /** The latest snapshot as JSON; after a pause (or at first), waits for a fresh sample. */
  async json(): Promise<string> {
    if (!this.#enabled) throw new Error('the dashboard sampler is not running');
    this.#lastRead = performance.now();
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#tick(), this.#intervalMs);
      this.#timer.unref();
      await this.#sample();
    } else if (this.#json === undefined) await this.#running;
    if (this.#json === undefined) throw new Error('the dashboard sampler is not running');
    return this.#json;
  }

  #tick(): void {
    if (performance.now() - this.#lastRead > this.#idleMs) this.#sleep();
    else void this.#sample();
  }

  #sleep(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #sample(): Promise<void> {
    this.#running ??= this.#takeSample().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #takeSample(): Promise<void> {
    let snapshot: DashboardSnapshot;
    try {
      snapshot = this.#maker.add(await this.#scrape(), Date.now());
      if (this.#failing) this.#log.info('dashboard sampling works again');
      this.#failing = false;
    } catch (err) {
      if (!this.#failing) this.#log.warn({ err }, 'dashboard sampling failed');
      this.#failing = true;
      snapshot = this.#maker.unreachable(err instanceof Error ? err.message : String(err), Date.now());
    }
    this.#json = JSON.stringify(snapshot);
  }
}
