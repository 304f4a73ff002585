import { CloseCode } from '@leviathan/protocol';

/**
 * Why a player leaves a shard whose zone stopped running there: handed to another node, its lease
 * lost, or (as the player walked in) already gone. The kick carries it with close code 1013; the
 * player's gateway does not close the socket but logs the player in again where the zone runs now
 * (gateway/zone-moves.ts), and closes with this reason only when that does not work out in time.
 */
export const ZONE_MOVED_REASON = 'your zone is moving to another server; reconnect';
/** A player handed to a node that no longer ran the zone (it moved meanwhile), sent back. */
export const STRANDED_REASON = 'your zone moved to another server as you walked in; reconnect';
/** The node that ran the player's zone is gone (dead, or cut off from the cluster). */
export const ZONE_NODE_GONE_REASON = 'the server running your zone is gone; reconnect';

/** The close code of each of those kicks. */
export const ZONE_MOVED_CODE = CloseCode.TryAgainLater;

const REASONS = new Set([ZONE_MOVED_REASON, STRANDED_REASON, ZONE_NODE_GONE_REASON]);

/** Whether a kick is one of a player whose zone stopped running where it was. */
export function isZoneMove(code: number, reason: string): boolean {
  return code === ZONE_MOVED_CODE && REASONS.has(reason);
}
