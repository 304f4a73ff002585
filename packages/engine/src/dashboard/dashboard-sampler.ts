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
}

/**
 * The dashboard's one sampler, on the main thread where `/metrics` is aggregated: it scrapes every
 * thread once per interval and keeps the snapshot as JSON, serialized once. Viewers read that
 * string, so their number changes nothing but the copies sent to them; with no viewer the cost is
 * one scrape a second (measured against the 1 % budget in benchmarks, not here). A scrape
 * that is still running when the next is due is not doubled: the next waits for its turn.
 */
export class DashboardSampler {
  readonly #maker: SnapshotMaker;
  readonly #scrape: () => Promise<string>;
  readonly #log: Logger;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined = undefined;
  #running = false;
  #json: string | undefined = undefined;
  #first: Promise<void> | undefined = undefined;
  /** Whether the previous sample failed, so a lasting failure is logged once, not every second. */
  #failing = false;

  constructor(options: DashboardSamplerOptions) {
    this.#maker = options.maker;
    this.#scrape = options.scrape;
    this.#log = options.log;
    this.#intervalMs = options.intervalMs ?? 1000;
  }

  /** Takes the first sample now and one every interval after it, until stop(). */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#first = this.#sample();
    this.#timer = setInterval(() => void this.#sample(), this.#intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** The latest snapshot as JSON; waits for the first sample when none was taken yet. */
  async json(): Promise<string> {
    if (this.#json === undefined) await this.#first;
    if (this.#json === undefined) throw new Error('the dashboard sampler is not running');
    return this.#json;
  }

  async #sample(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
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
    } finally {
      this.#running = false;
    }
  }
}
