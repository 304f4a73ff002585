import { availableParallelism } from 'node:os';
import type { LoopHealth } from '../ipc/messages.js';

export interface SelfMonitorOptions {
  /** Warn when a worker's p99 event-loop delay over an interval exceeds this. @default 20 (ms) */
  lagWarnMs?: number;
  /** Warn when the generator process uses more than this share of all cores. @default 0.9 */
  cpuWarnShare?: number;
}

/**
 * Watches the generator itself. A generator that is short of CPU, or whose event loop lags,
 * delays sends and reads: its latencies then measure itself, not the server. It says so (once per
 * kind, then with the worst figure in the summary) instead of printing numbers it cannot stand by.
 */
export class SelfMonitor {
  readonly #lagWarnMs: number;
  readonly #cpuWarnShare: number;
  readonly #cores = availableParallelism();
  #lastCpu = process.cpuUsage();
  #lastAt = performance.now();
  worstLagP99Ms = 0;
  worstCpuShare = 0;
  readonly warnings: string[] = [];
  #lagWarned = false;
  #cpuWarned = false;

  constructor(options: SelfMonitorOptions = {}) {
    this.#lagWarnMs = options.lagWarnMs ?? 20;
    this.#cpuWarnShare = options.cpuWarnShare ?? 0.9;
  }

  /** Feeds one interval's worker health; returns new warnings to print. */
  interval(health: readonly LoopHealth[]): string[] {
    const out: string[] = [];
    const now = performance.now();
    const cpu = process.cpuUsage(this.#lastCpu);
    const wallUs = (now - this.#lastAt) * 1000;
    this.#lastCpu = process.cpuUsage();
    this.#lastAt = now;
    const share = wallUs > 0 ? (cpu.user + cpu.system) / (wallUs * this.#cores) : 0;
    if (share > this.worstCpuShare) this.worstCpuShare = share;
    if (share > this.#cpuWarnShare && !this.#cpuWarned) {
      this.#cpuWarned = true;
      out.push(
        `the load generator used ${(share * 100).toFixed(0)}% of all ${this.#cores} cores: latencies include its own queueing; run fewer VUs per process or spread over more machines (--segment)`,
      );
    }
    for (const h of health) {
      if (h.lagP99Ms > this.worstLagP99Ms) this.worstLagP99Ms = h.lagP99Ms;
      if (h.lagP99Ms > this.#lagWarnMs && !this.#lagWarned) {
        this.#lagWarned = true;
        out.push(
          `a generator worker's event loop lagged ${h.lagP99Ms.toFixed(1)} ms at p99 (over ${this.#lagWarnMs} ms): latencies below that are not trustworthy; use more workers or fewer VUs`,
        );
      }
    }
    this.warnings.push(...out);
    return out;
  }
}
