import type { HandoffRecord } from '../ipc/state-batch.js';
import type { Logger } from '../logging/logger.js';
import type { BusMessage, NodeHandoff } from './node-bus.js';
import type { RemoteGateways } from './remote-gateways.js';
import type { RemoteShards } from './remote-shards.js';

export interface RemoteHandoffsOptions {
  readonly node: string;
  readonly shards: RemoteShards;
  readonly gateways: RemoteGateways;
  readonly send: (node: string, message: BusMessage) => void;
  /** Whether a shard of this node runs `zone` now. */
  readonly runsZone: (zone: string) => boolean;
  /** Relays to a shard of this node, as main does between its own shards. */
  readonly adopt: (shard: number, players: HandoffRecord[]) => void;
  readonly forward: (shard: number, gateway: number, ops: unknown[]) => void;
  /** Saves what is pending of a player; the store's version of it after (undefined: not saved). */
  readonly settlePlayer: (username: string) => Promise<number | undefined>;
  /** The store's version of a player this node now saves. */
  readonly trackPlayer: (username: string, storedVersion: number) => void;
  /** A player handed to a node that no longer runs its zone: its state is kept, it is disconnected. */
  readonly stranded: (player: HandoffRecord) => void;
  readonly log: Logger;
}

/**
 * Players walking into a zone of another node: the same handoff as between two shards of a node
 * (the record with the player's state goes to the shard that runs the zone, the input that reached
 * the old shard meanwhile is forwarded behind it, and the gateway's route marker says when the
 * forwarding ends), relayed over the bus instead of by main alone.
 *
 * Two nodes save the player in turn, each through its own write-behind, so before the record
 * leaves, the player's pending saves here are written and the store's version goes with it: the
 * new node saves from that version. Everything to one node goes out in order behind those saves
 * (a forward must not overtake its player's record).
 */
export class RemoteHandoffs {
  readonly #o: RemoteHandoffsOptions;
  readonly #queues = new Map<string, Promise<void>>();

  constructor(options: RemoteHandoffsOptions) {
    this.#o = options;
  }

  /** Players this node hands to remote shard `index`. */
  handOff(index: number, players: readonly HandoffRecord[]): void {
    const at = this.#o.shards.locationOf(index);
    if (at === undefined) return;
    const records = players.map((p) => {
      const owner = this.#o.gateways.ownerOf(p.gateway);
      if (owner.node === this.#o.node) this.#o.shards.follow(at.node, p.username, true);
      else this.#o.gateways.follow(p.gateway, p.conn, p.username, false);
      return { ...p, to: at.shard, gateway: owner.gateway, gatewayNode: owner.node } satisfies NodeHandoff;
    });
    this.#enqueue(at.node, async () => {
      const sent: NodeHandoff[] = [];
      for (const r of records) {
        const storedVersion = await this.#o.settlePlayer(r.username).catch(() => undefined);
        sent.push(storedVersion === undefined ? r : { ...r, storedVersion });
      }
      this.#o.send(at.node, { k: 'adopt', from: this.#o.node, shard: at.shard, players: sent });
    });
  }

  /** Input that reached a shard here for a player handed to remote shard `index`. */
  forward(index: number, gateway: number, ops: unknown[]): void {
    const at = this.#o.shards.locationOf(index);
    if (at === undefined) return;
    const owner = this.#o.gateways.ownerOf(gateway);
    this.#enqueue(at.node, async () => {
      this.#o.send(at.node, {
        k: 'forward',
        from: this.#o.node,
        shard: at.shard,
        gatewayNode: owner.node,
        gateway: owner.gateway,
        ops,
      });
    });
  }

  /** Players another node handed to shard `shard` of this node. */
  adopted(from: string, shard: number, players: readonly NodeHandoff[]): void {
    const admitted: HandoffRecord[] = [];
    const stranded: NodeHandoff[] = [];
    for (const p of players) {
      const gateway = this.#o.gateways.indexFor(p.gatewayNode, p.gateway, shard);
      if (!this.#o.runsZone(p.zone) || gateway === undefined) {
        stranded.push(p);
        continue;
      }
      if (p.gatewayNode === this.#o.node) this.#o.shards.follow(from, p.username, false);
      else this.#o.gateways.follow(gateway, p.conn, p.username, true);
      if (p.storedVersion !== undefined) this.#o.trackPlayer(p.username, p.storedVersion);
      const { gatewayNode: _node, storedVersion: _version, ...record } = p;
      admitted.push({ ...record, gateway });
    }
    if (admitted.length > 0) this.#o.adopt(shard, admitted);
    if (stranded.length > 0) {
      this.#o.log.warn(
        { from, players: stranded.map((p) => p.username) },
        'players handed to this node for a zone it does not run (it moved meanwhile); sent back',
      );
      this.#o.send(from, { k: 'bounce', from: this.#o.node, players: stranded });
    }
  }

  /** Input forwarded by another node for a player it handed to shard `shard` here. */
  forwarded(shard: number, gatewayNode: string, gateway: number, ops: unknown[]): void {
    const index = this.#o.gateways.indexFor(gatewayNode, gateway, shard);
    if (index !== undefined) this.#o.forward(shard, index, ops);
  }

  /**
   * Players this node handed to a node that no longer ran their zone: their state is saved here and
   * their gateways carry them to where their zone runs now (or disconnect them with 1013).
   */
  bounced(players: readonly NodeHandoff[]): void {
    for (const p of players) {
      const { gatewayNode: _node, storedVersion: _version, ...record } = p;
      this.#o.stranded({ ...record, to: -1 });
    }
  }

  #enqueue(node: string, step: () => Promise<void>): void {
    const next = (this.#queues.get(node) ?? Promise.resolve()).then(step).catch((err: unknown) => {
      this.#o.log.error({ err, node }, 'a handoff to another node failed');
    });
    this.#queues.set(node, next);
    void next.finally(() => {
      if (this.#queues.get(node) === next) this.#queues.delete(node);
    });
  }
}
