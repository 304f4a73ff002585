import { Counter, Gauge, type Registry } from 'prom-client';
import { registeredMetric } from '../metrics/registered-metric.js';

/** What happened to a lease: the `event` label of leviathan_cluster_lease_events_total. */
export type LeaseEvent = 'acquired' | 'released' | 'lost_expired' | 'lost_taken' | 'renew_failed';

/** The cluster's Prometheus metrics (listed in docs/cluster.md), in the node's main registry. */
export interface ClusterMetrics {
  /** leviathan_cluster_lease_events_total{event}: lease changes on this node. */
  readonly events: Counter<'event'>;
  /** leviathan_cluster_zones_held: zones whose lease this node holds now. */
  readonly zonesHeld: Gauge<string>;
  /** leviathan_cluster_nodes_up: nodes heartbeating into the cluster, as this node last saw. */
  readonly nodesUp: Gauge<string>;
  /** leviathan_cluster_bus_bytes_total{direction}: bytes of per-tick batches to and from other nodes. */
  readonly busBytes: Counter<'direction'>;
  /** leviathan_cluster_bus_messages_total{direction}: messages to and from other nodes. */
  readonly busMessages: Counter<'direction'>;
}

/** Defines the metrics in `registry`, or returns the ones already there. */
export function createClusterMetrics(registry: Registry): ClusterMetrics {
  const get = <M>(name: string, make: () => M): M => registeredMetric(registry, name, make);
  return {
    events: get(
      'leviathan_cluster_lease_events_total',
      () =>
        new Counter({
          name: 'leviathan_cluster_lease_events_total',
          help: 'Zone lease changes on this node: acquired, released, lost (expired or taken), failed renewals',
          labelNames: ['event'],
          registers: [registry],
        }),
    ),
    zonesHeld: get(
      'leviathan_cluster_zones_held',
      () =>
        new Gauge({
          name: 'leviathan_cluster_zones_held',
          help: 'Zones whose lease this node holds',
          registers: [registry],
        }),
    ),
    nodesUp: get(
      'leviathan_cluster_nodes_up',
      () =>
        new Gauge({
          name: 'leviathan_cluster_nodes_up',
          help: 'Nodes heartbeating into the cluster, this one included, at its last heartbeat',
          registers: [registry],
        }),
    ),
    busBytes: get(
      'leviathan_cluster_bus_bytes_total',
      () =>
        new Counter({
          name: 'leviathan_cluster_bus_bytes_total',
          help: "Bytes of input and output batches sent to (direction out) and received from (in) other nodes over the cluster's bus",
          labelNames: ['direction'],
          registers: [registry],
        }),
    ),
    busMessages: get(
      'leviathan_cluster_bus_messages_total',
      () =>
        new Counter({
          name: 'leviathan_cluster_bus_messages_total',
          help: "Messages sent to (direction out) and received from (in) other nodes over the cluster's bus",
          labelNames: ['direction'],
          registers: [registry],
        }),
    ),
  };
}
