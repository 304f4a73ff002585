import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Summary } from '../../summary/summary.js';
import type { IntervalPoint, LiveOutput, RunInfo } from '../live-output.js';
import { DashboardHistory } from './dashboard-history.js';
import { renderPage } from './page-document.js';

/**
 * `--out html=FILE`: the dashboard page with the whole run embedded, written when the run ends:
 * one file, the same plots and the summary, that opens from file:// with no network. Written at
 * close() (after the summary), so that a failure to write is reported as the outputs' failure
 * rather than thrown into the run; a run that ended without a summary writes none.
 */
export class HtmlReport implements LiveOutput {
  readonly #file: string;
  readonly #history = new DashboardHistory();

  constructor(file: string) {
    this.#file = file;
  }

  async start(info: RunInfo): Promise<void> {
    this.#history.start(info);
  }

  interval(point: IntervalPoint): void {
    this.#history.add(point);
  }

  async end(summary: Summary): Promise<void> {
    this.#history.finish(summary);
  }

  async close(): Promise<void> {
    if (!this.#history.ended) return;
    await mkdir(dirname(this.#file), { recursive: true });
    await writeFile(this.#file, renderPage(this.#history.data));
  }
}
