import type { DashboardSource } from '../../../dashboard/dashboard-source.js';
import { nodeSource } from '../../../dashboard/node-source.js';
import { prometheusSource } from '../../../dashboard/prometheus-source.js';

/** What `leviathan top` watches: one engine's /metrics, or a fleet through Prometheus. */
export interface TopTarget {
  readonly kind: 'node' | 'fleet';
  readonly url: string;
}

/** Thrown when a target's address is not one (said to the user, exit code 2). */
export class TopTargetError extends Error {
  override readonly name = 'TopTargetError';
}

/**
 * The source for a target. Both kinds give the same DashboardSnapshot, so the screen does not
 * know which one it draws. `intervalSeconds` is the fleet's sparkline step: Prometheus fills the
 * sparklines from its own history at that step, so they are not empty at start.
 */
export function topSource(target: TopTarget, intervalSeconds: number): DashboardSource {
  try {
    return target.kind === 'node'
      ? nodeSource(target.url)
      : prometheusSource(target.url, { sampleIntervalSeconds: intervalSeconds });
  } catch (error) {
    throw new TopTargetError((error as Error).message, { cause: error });
  }
}
