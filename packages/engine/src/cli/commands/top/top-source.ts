import type { DashboardSource } from '../../../dashboard/dashboard-source.js';
import { nodeSource } from '../../../dashboard/node-source.js';

/** What `leviathan top` watches: one engine's /metrics, or a fleet through Prometheus. */
export type TopTarget =
  | { readonly kind: 'node'; readonly url: string }
  | { readonly kind: 'fleet'; readonly url: string };

/** Thrown when a target cannot be watched by this build (said to the user, exit code 2). */
export class TopTargetError extends Error {
  override readonly name = 'TopTargetError';
}

/**
 * The source for a target. Both kinds give the same DashboardSnapshot, so the screen does not
 * know which one it draws. Throws TopTargetError for an address that is not one.
 */
export async function topSource(target: TopTarget): Promise<DashboardSource> {
  if (target.kind === 'node') {
    try {
      return nodeSource(target.url);
    } catch (error) {
      throw new TopTargetError((error as Error).message, { cause: error });
    }
  }
  // The Prometheus source (dashboard/prometheus-source.ts) is not in this build yet.
  throw new TopTargetError(
    `--prometheus is not available in this build yet; watch one engine instead: leviathan top http://<engine>:<port>`,
  );
}
