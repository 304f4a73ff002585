export {
  type CollectPveHealthOptions,
  collectPveHealth,
  healthFrom,
  type PveClusterHealth,
  type PveGuestHealth,
  type PveHealth,
  type PveNodeHealth,
  type PveStorageHealth,
} from './collect.js';
export { createPveExporter, type PveExporter, type PveExporterOptions } from './exporter.js';
export { PVE_METRICS, PVE_METRICS_CONTENT_TYPE, type PveScrape, renderPveMetrics } from './metrics.js';
