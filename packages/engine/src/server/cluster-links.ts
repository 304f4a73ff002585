import type { MessagePort, Transferable } from 'node:worker_threads';
import type { ClusterLogins } from '../cluster/cluster-logins.js';
import { nodeNameOf } from '../cluster/cluster-node.js';
import type { BusMessage } from '../cluster/node-bus.js';
import { RemoteDirectory } from '../cluster/remote-directory.js';
import { RemoteGateways } from '../cluster/remote-gateways.js';
import { RemoteHandoffs } from '../cluster/remote-handoffs.js';
import { RemoteShards, remotePollMs } from '../cluster/remote-shards.js';
import { RemoteZoneRoutes } from '../cluster/remote-zone-routes.js';
import type { ZoneDirectory } from '../cluster/zone-directory.js';
import type { EngineConfig } from '../config/engine-config.js';
import type { ShardMessageRecord } from '../ipc/shard-message.js';
import type { DirectoryRecord, HandoffRecord, StateBatch } from '../ipc/state-batch.js';
import type { Logger } from '../logging/logger.js';
import type { ZoneTable } from './zone-table.js';

/** What the links need of the node's threads, store and zones. */
export interface ClusterLinksOptions {
  readonly config: EngineConfig;
  readonly gatewayThreads: number;
  readonly zones: ZoneTable;
  readonly gateways: () => {
    connectShard(shard: number, restarted: boolean): void;
    kick(username: string, code: number, reason: string): void;
  };
  readonly shards: {
    /** Attaches another node's gateway to a shard of this node (false: the shard is down). */
    attachGateway(
      shard: number,
      arg: { gateway: number; port: MessagePort; ring: SharedArrayBuffer },
      transfer: readonly Transferable[],
    ): boolean;
    adopt(shard: number, players: HandoffRecord[]): void;
    /** Directory changes, to every shard of this node. */
    directory(upsert: DirectoryRecord[], remove: string[]): void;
    forward(shard: number, gateway: number, ops: unknown[]): void;
    /** Other nodes' shards' messages (`ctx.tellShards`), to every shard of this node. */
    shardMessages(messages: ShardMessageRecord[]): void;
    /** Tells every shard of this node routes that changed. */
    route(change: { route: Record<string, number>; unroute: string[] }): void;
  };
  readonly persistence: {
    settlePlayer(username: string): Promise<number | undefined>;
    trackPlayer(username: string, storedVersion: number): void;
  };
  /** Main's directory: the players in this node's shards. */
  readonly directory: ReadonlyMap<string, DirectoryRecord>;
  /** A player handed to a node that no longer runs its zone, back here: save it and disconnect it. */
  readonly stranded: (player: HandoffRecord) => void;
  /** Another node asks to close the session of `username` here (a login there takes it over). */
  readonly kicked: (username: string) => void;
  /** A player of a remote shard left: its name is free on this node. */
  readonly released: (username: string) => void;
  readonly log: Logger;
}

/**
 * A cluster node's links to the others' players and zones: its gateways reach the shards of other
 * nodes as remote shards (cluster/remote-shards.ts), other nodes' gateways reach its shards as
 * remote gateways (cluster/remote-gateways.ts), and players walk between zones of different nodes
 * (cluster/remote-handoffs.ts), all over the bus. Created with the threads, and connected once the
 * node has joined the cluster (`connect`).
 */
export class ClusterLinks {
  readonly node: string;
  readonly shards: RemoteShards;
  readonly gateways: RemoteGateways;
  readonly handoffs: RemoteHandoffs;
  readonly directory: RemoteDirectory;
  #routes: RemoteZoneRoutes | undefined;
  #send: ((node: string, message: BusMessage) => void) | undefined;
  #directory: Pick<ZoneDirectory, 'lookup' | 'all'> | undefined;
  #logins: ClusterLogins | undefined;
  #nodesUp: ReadonlySet<string> = new Set();
  readonly #o: ClusterLinksOptions;

  constructor(options: ClusterLinksOptions) {
    this.#o = options;
    const { config, log } = options;
    this.node = nodeNameOf(config.cluster);
    const send = (node: string, message: BusMessage): void => this.#send?.(node, message);
    this.shards = new RemoteShards({
      node: this.node,
      localShards: config.shards,
      pollMs: remotePollMs(config.tickHz),
      gateways: {
        connectShard: (shard, restarted) => options.gateways().connectShard(shard, restarted),
        kick: (username, code, reason) => options.gateways().kick(username, code, reason),
      },
      send,
      released: options.released,
      log,
    });
    this.gateways = new RemoteGateways({
      node: this.node,
      localGateways: options.gatewayThreads,
      localShards: config.shards,
      inputRingBytes: config.inputRingBytes,
      attach: options.shards.attachGateway,
      send,
      joined: (username, version) => options.persistence.trackPlayer(username, version),
      settle: (username) => options.persistence.settlePlayer(username),
      log,
    });
    this.handoffs = new RemoteHandoffs({
      node: this.node,
      shards: this.shards,
      gateways: this.gateways,
      send,
      runsZone: (zone) => options.zones.has(zone),
      adopt: options.shards.adopt,
      forward: options.shards.forward,
      settlePlayer: (username) => options.persistence.settlePlayer(username),
      trackPlayer: (username, version) => options.persistence.trackPlayer(username, version),
      stranded: options.stranded,
      log,
    });
    this.directory = new RemoteDirectory({
      node: this.node,
      shards: this.shards,
      gateways: this.gateways,
      send,
      local: () => options.directory.values(),
      isLocal: (username) => options.directory.has(username),
      relay: options.shards.directory,
      log,
    });
  }

  /** The node joined: messages go out on its bus; zones are looked up in its directory. */
  connect(
    send: (node: string, message: BusMessage) => void,
    directory: Pick<ZoneDirectory, 'lookup' | 'all'>,
    logins: ClusterLogins,
  ): void {
    this.#send = send;
    this.#directory = directory;
    this.#logins = logins;
    this.#routes = new RemoteZoneRoutes({
      node: this.node,
      directory,
      shards: this.shards,
      isLocal: (zone) => this.#o.zones.isLocal(zone),
      nodesUp: () => this.#nodesUp,
      apply: (change) => this.#o.shards.route(change),
      log: this.#o.log,
    });
    this.#routes.start();
  }

  /** Routes to the zones of other nodes, for a shard that (re)starts. */
  remoteRoutes(): Record<string, number> {
    return this.#routes?.current() ?? {};
  }

  /** A message from another node. */
  receive(message: BusMessage): void {
    switch (message.k) {
      case 'in':
        this.gateways.input(message.from, message.gateway, message.shard, message.records);
        return;
      case 'out':
        this.shards.output(message.from, message.gateway, message.shard, message.batch);
        return;
      case 'left':
        this.shards.left(message.from, message.names);
        return;
      case 'adopt':
        this.handoffs.adopted(message.from, message.shard, message.players);
        return;
      case 'forward':
        this.handoffs.forwarded(message.shard, message.gatewayNode, message.gateway, message.ops);
        return;
      case 'bounce':
        this.handoffs.bounced(message.players);
        return;
      case 'directory':
        this.directory.received(message.from, message.upsert, message.remove);
        return;
      case 'kick':
        for (const name of message.names) this.#o.kicked(name);
        return;
      case 'shard-messages':
        // `from` as this node numbers that node's shards (as a directory record's shard is).
        this.#o.shards.shardMessages(
          message.messages.map((m) => ({ ...m, from: this.shards.indexOf(message.from, m.from) })),
        );
        return;
    }
  }

  nodesChanged(nodes: ReadonlySet<string>): void {
    this.#nodesUp = nodes;
    this.shards.nodesChanged(nodes);
    this.gateways.nodesChanged(nodes);
    this.directory.nodesChanged(nodes);
    void this.#routes?.refresh();
  }

  stateBatch(batch: StateBatch): void {
    this.gateways.stateBatch(batch);
    this.directory.changed(batch.upsert, batch.remove);
    if (batch.messages.length > 0) {
      // After the directory changes, as main relays them between its own shards; a node not up
      // (not yet joined, or cut off) misses them, as a shard that is down does.
      const message: BusMessage = { k: 'shard-messages', from: this.node, messages: batch.messages };
      for (const node of this.#nodesUp) if (node !== this.node) this.#send?.(node, message);
    }
  }

  /**
   * The shard index this node's gateways reach `zone` by when another node that is up runs it; else
   * undefined (nobody runs it now, or it is moving).
   */
  async locate(zone: string): Promise<number | undefined> {
    const at = await this.#directory?.lookup(zone);
    if (at === undefined || at.node === this.node || !this.#nodesUp.has(at.node)) return undefined;
    return this.shards.indexOf(at.node, at.shard);
  }

  /**
   * Takes `username` in the cluster for this node: undefined when taken, else the node that has it
   * ('' when Redis cannot be asked).
   */
  async claimLogin(username: string): Promise<string | undefined> {
    if (this.#logins === undefined) return '';
    return this.#logins.claim(username).catch(() => '');
  }

  /** The name is free on this node: free in the cluster too. */
  releaseLogin(username: string): void {
    this.#logins?.release(username).catch((err: unknown) => {
      this.#o.log.warn(
        { err, username },
        'freeing a name in the cluster failed; it is taken over once needed',
      );
    });
  }

  /** `token` resumes `username` on any node from now (the one it replaces is spent). */
  rememberResume(username: string, token: string): void {
    this.#logins?.rememberResume(username, token).catch((err: unknown) => {
      this.#o.log.warn(
        { err, username },
        'the resume token could not be kept in the cluster; it resumes on this node only',
      );
    });
  }

  /** Whether `token` resumes `username` (kept by whichever node issued it); a match spends it. */
  async consumeResume(username: string, token: string): Promise<boolean> {
    if (this.#logins === undefined) return false;
    return this.#logins.consumeResume(username, token).catch(() => false);
  }

  /** The session of `token` ended on this node: the token resumes it elsewhere for `ms` more. */
  expireResume(username: string, token: string, ms: number): void {
    this.#logins?.expireResume(username, token, ms).catch(() => {
      // Left to its own expiry: a stale token only lets its owner take the character back.
    });
  }

  /** Asks `node` to close the session of `username` (a login here takes it over). */
  kickElsewhere(node: string, username: string): void {
    this.#send?.(node, { k: 'kick', from: this.node, names: [username] });
  }

  close(): void {
    this.#routes?.stop();
    this.shards.close();
    this.gateways.close();
  }
}
