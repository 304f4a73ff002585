import { hostname } from 'node:os';
import type { EngineConfig } from '../config/engine-config.js';
import { DashboardSampler } from '../dashboard/dashboard-sampler.js';
import { ExpositionSampler } from '../dashboard/exposition-sampler.js';
import type { Logger } from '../logging/logger.js';

/**
 * The dashboard's sampler when `dashboard.enabled`, started: it reads the same aggregated text as
 * `/metrics` once a second. Off, nothing is created and nothing runs.
 */
export function startDashboard(
  config: EngineConfig,
  port: number,
  scrape: () => Promise<string>,
  log: Logger,
): DashboardSampler | undefined {
  if (!config.dashboard.enabled) return undefined;
  const sampler = new DashboardSampler({
    maker: new ExpositionSampler({ target: `${nodeName(config)}:${port}` }),
    scrape,
    log,
  });
  sampler.start();
  const local = process.env[config.dashboard.tokenEnv] ? 'with its access token' : 'from this machine';
  log.info({ dashboard: '/dashboard' }, `live dashboard at /dashboard (${local})`);
  return sampler;
}

/** What a gateway is answered when it asks for a snapshot while the dashboard is off. */
export function noDashboard(): Promise<string> {
  return Promise.reject(new Error('the dashboard is not enabled (dashboard.enabled)'));
}

/**
 * What the page's header calls this engine: its cluster node name, else the address it listens
 * on, or the host name when that is every interface (`0.0.0.0:8080` names no machine).
 */
function nodeName(config: EngineConfig): string {
  if (config.cluster.node !== undefined) return config.cluster.node;
  return config.host === '0.0.0.0' || config.host === '::' ? hostname() : config.host;
}
