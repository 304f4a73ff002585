import type { DashboardSnapshot } from './dashboard-snapshot.js';

/**
 * Where a dashboard gets its pictures: one engine's `/metrics` (node-source.ts) or a Prometheus
 * server (prometheus-source.ts). `sample()` never throws: a target that does not answer gives a
 * snapshot with `reachable: false` and the reason, so a view keeps drawing and retries.
 */
export interface DashboardSource {
  /** What is watched, as a person would name it (`http://10.0.0.5:8080`). */
  readonly target: string;
  sample(): Promise<DashboardSnapshot>;
  /** Stops any request in flight. */
  close(): void;
}
