import type { WorldRecord } from './state-batch.js';

/**
 * A change to the zones a node runs, sent by main to a shard and applied at the start of its next
 * tick, in arrival order with the rest of what main relays. On a single node the zones are fixed at
 * start and no change is ever sent; on a cluster node zones come and go as their leases do.
 */
export interface ZoneChange {
  /** Which shard of this node has these zones now: where players moving into them are handed off. */
  readonly route?: Readonly<Record<string, number>>;
  /** Zones no shard of this node has any more (set before they unload, so nobody moves in). */
  readonly unroute?: readonly string[];
  /** Zones this shard runs from now on, with their world records (the store's latest). */
  readonly load?: ReadonlyArray<{ readonly zone: string; readonly world: readonly WorldRecord[] }>;
  /**
   * Zones this shard stops running: their players leave (`'shutdown'`) with a zone-move kick (their
   * gateways carry them on, ipc/zone-moved.ts), and the zones' final state is in the state batch of the tick that unloads
   * them, which reaches main before the change's answer.
   */
  readonly unload?: readonly string[];
}
