/** The cluster's errors (several nodes on Redis); errors.ts exports them. */
import { EngineError } from '../engine-error.js';

/** Base of every cluster failure: `instanceof ClusterError` catches them all. */
export class ClusterError extends EngineError {
  override readonly name: string = 'ClusterError';
}

/** The cluster options are unusable (a node id with a tab or newline, a renewal period not under the lease). */
export class ClusterConfigError extends ClusterError {
  override readonly name = 'ClusterConfigError';
  constructor(message: string) {
    super('LEV_ERR_CLUSTER_CONFIG_INVALID', message);
  }
}

/** Redis cannot be reached or did not answer in time. Retryable: leases are kept or lost by time. */
export class ClusterUnavailableError extends ClusterError {
  override readonly name = 'ClusterUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('LEV_ERR_CLUSTER_UNAVAILABLE', message, options);
  }
}

/** A zone's lease is held by another node; `owner` holds it for about `remainingMs` more. */
export class ZoneLeaseHeldError extends ClusterError {
  override readonly name = 'ZoneLeaseHeldError';
  readonly zone: string;
  readonly owner: string;
  readonly remainingMs: number;
  constructor(zone: string, owner: string, remainingMs: number) {
    super(
      'LEV_ERR_CLUSTER_ZONE_HELD',
      `zone ${zone} is held by node ${owner} (lease ends in ${remainingMs} ms unless renewed)`,
    );
    this.zone = zone;
    this.owner = owner;
    this.remainingMs = remainingMs;
  }
}

/** A lease this node held was taken over or ran out; the node must stop writing that zone. */
export class ZoneLeaseLostError extends ClusterError {
  override readonly name = 'ZoneLeaseLostError';
  readonly zone: string;
  readonly reason: 'expired' | 'taken';
  constructor(zone: string, reason: 'expired' | 'taken') {
    super(
      'LEV_ERR_CLUSTER_LEASE_LOST',
      reason === 'taken'
        ? `zone ${zone}: the lease is no longer this node's (another node took it after it ran out)`
        : `zone ${zone}: the lease ran out before Redis confirmed a renewal`,
    );
    this.zone = zone;
    this.reason = reason;
  }
}
