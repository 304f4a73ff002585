import type { DashboardSource } from '../../../dashboard/dashboard-source.js';
import { nodeSource } from '../../../dashboard/node-source.js';
import { TerminalUiMissingError } from './load-terminal-ui.js';

/** What `leviathan top` watches: one engine's /metrics, or a fleet through Prometheus. */
export interface TopTarget {
  readonly kind: 'node' | 'fleet';
  readonly url: string;
}

/** Thrown when a target's address is not one (said to the user, exit code 2). */
export class TopTargetError extends Error {
  override readonly name = 'TopTargetError';
}

/** Said when fleet mode's Prometheus client is not installed (an optional dependency). */
const FLEET_MISSING_MESSAGE =
  '@leviathan/infra-sdk is not installed here (an optional dependency of @leviathan/engine, for top --prometheus); install it beside the engine: npm install @leviathan/infra-sdk';

/**
 * The source for a target. Both kinds give the same DashboardSnapshot, so the screen does not
 * know which one it draws. `intervalSeconds` is the fleet's sparkline step: Prometheus fills the
 * sparklines from its own history at that step, so they are not empty at start. Fleet mode reads
 * Prometheus through @leviathan/infra-sdk's client, loaded only here.
 */
export async function topSource(target: TopTarget, intervalSeconds: number): Promise<DashboardSource> {
  if (target.kind === 'node') return asTarget(() => nodeSource(target.url));
  let fleet: typeof import('../../../dashboard/prometheus-source.js');
  try {
    fleet = await import('../../../dashboard/prometheus-source.js');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      throw new TerminalUiMissingError(FLEET_MISSING_MESSAGE, { cause: error });
    throw error;
  }
  return asTarget(() => fleet.prometheusSource(target.url, { sampleIntervalSeconds: intervalSeconds }));
}

function asTarget(make: () => DashboardSource): DashboardSource {
  try {
    return make();
  } catch (error) {
    throw new TopTargetError((error as Error).message, { cause: error });
  }
}
