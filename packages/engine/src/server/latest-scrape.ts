/**
 * The server's metrics text, scraped on demand and remembered, so that the dashboard's sampler can
 * reuse a scrape that Prometheus has just paid for instead of asking every thread again. With both
 * at one second, sharing cut what watching costs (benchmarks/src/dashboard, 10,000 players, three
 * rounds each: 0.71–0.95% of a core with a scrape each, 0.59–0.74% sharing one; the main thread,
 * which merges every thread's metrics, took 0.28–0.44% of it before, 0.22–0.37% after).
 */
export class LatestScrape {
  readonly #scrape: () => Promise<string>;
  #text: string | undefined = undefined;
  #at = Number.NEGATIVE_INFINITY;
  #inFlight: Promise<string> | undefined = undefined;

  constructor(scrape: () => Promise<string>) {
    this.#scrape = scrape;
  }

  /** A scrape started now (`/metrics`); callers at the same moment share it. */
  fresh(): Promise<string> {
    this.#inFlight ??= this.#scrape().then(
      (text) => {
        this.#text = text;
        this.#at = performance.now();
        this.#inFlight = undefined;
        return text;
      },
      (err: unknown) => {
        this.#inFlight = undefined;
        throw err;
      },
    );
    return this.#inFlight;
  }

  /** The last scrape if it is younger than `maxAgeMs`, else a fresh one. */
  recent(maxAgeMs: number): Promise<string> {
    if (this.#text !== undefined && performance.now() - this.#at < maxAgeMs)
      return Promise.resolve(this.#text);
    return this.fresh();
  }
}
