import { CloseCode, type ServerMessage } from '@leviathan/protocol';
import type { BroadcastOptions, SendOptions } from '../game/context.js';
import type { Player } from '../game/player.js';
import { eventFlag, Outbox, type OutputBatch, SendFlag } from '../ipc/output-batch.js';
import type { DirectoryRecord } from '../ipc/state-batch.js';
import type { DirectoryReplica } from './directory-replica.js';
import type { PlayerRegistry } from './player-registry.js';
import type { PlayerImpl } from './world-objects.js';

/** A recipient: where its socket is. Local players and directory records both have these. */
interface Route {
  readonly username: string;
  readonly gateway: number;
  readonly conn: number;
}

/**
 * Everything a shard sends during a tick, one Outbox per gateway, taken as one OutputBatch per
 * gateway at the end of the tick. A message to many players is encoded once and added once per
 * gateway; each recipient then costs one (conn, string index, flags) triplet, whatever the size
 * of the message or of the crowd.
 */
export class FanOut {
  readonly #outboxes: Outbox[] = [];
  readonly #players: PlayerRegistry;
  readonly #directory: DirectoryReplica;
  /** Per gateway, the index of the message being fanned out (-1: not added to that outbox yet). */
  readonly #indexes: number[] = [];

  constructor(gateways: number, players: PlayerRegistry, directory: DirectoryReplica) {
    for (let g = 0; g < gateways; g++) {
      this.#outboxes.push(new Outbox());
      this.#indexes.push(-1);
    }
    this.#players = players;
    this.#directory = directory;
  }

  get gateways(): number {
    return this.#outboxes.length;
  }

  /** Queues encoded text for one connection. */
  sendRaw(gateway: number, conn: number, text: string, flags: number): void {
    const box = this.#outboxes[gateway];
    if (box === undefined) return;
    box.send(conn, box.addString(text), flags);
  }

  /** Records a command's gateway receipt time, for the gateway's latency histogram. */
  timing(gateway: number, receivedAt: number): void {
    this.#outboxes[gateway]?.timing(receivedAt);
  }

  /** Tells a gateway where a player now lives (-1: unknown here, join it again). */
  route(gateway: number, conn: number, shard: number): void {
    this.#outboxes[gateway]?.route(conn, shard);
  }

  sendTo(target: string | Player, message: ServerMessage, options?: SendOptions): boolean {
    const flags = flagsOf(message, options);
    let route: Route | undefined;
    if (typeof target !== 'string' && this.#players.owns(target as PlayerImpl)) route = target as PlayerImpl;
    else {
      const name = typeof target === 'string' ? target : target.username;
      route = this.#players.byName(name) ?? this.#directory.record(name);
    }
    if (route === undefined) return false;
    this.sendRaw(route.gateway, route.conn, JSON.stringify(message), flags);
    return true;
  }

  toRoom(zone: string, room: string, message: ServerMessage, options?: BroadcastOptions): void {
    const local = this.#players.zones.get(zone);
    if (local !== undefined) this.#fanOut(local.occupants(room), message, options);
    else this.#fanOut(this.#directory.inRoom(zone, room), message, options);
  }

  toZone(zone: string, message: ServerMessage, options?: BroadcastOptions): void {
    const local = this.#players.zones.get(zone);
    if (local !== undefined) this.#fanOut(local.members, message, options);
    else this.#fanOut(this.#directory.inZone(zone), message, options);
  }

  toAll(message: ServerMessage, options?: BroadcastOptions): void {
    const flags = flagsOf(message, options);
    const text = JSON.stringify(message);
    const except: Route | undefined =
      options?.except === undefined
        ? undefined
        : (this.#players.byName(options.except) ?? this.#directory.record(options.except));
    for (let g = 0; g < this.#outboxes.length; g++) {
      const box = this.#outboxes[g]!;
      box.broadcast(
        box.addString(text),
        flags,
        except !== undefined && except.gateway === g ? except.conn : -1,
      );
    }
  }

  kick(username: string, reason: string, code: number = CloseCode.Kicked): void {
    const route: Route | undefined = this.#players.byName(username) ?? this.#directory.record(username);
    if (route === undefined) return;
    this.#outboxes[route.gateway]?.kick(route.conn, code, reason);
  }

  /** The output for gateway `g` of this tick, or null when there is nothing to send. */
  take(g: number, shard: number): OutputBatch | null {
    const box = this.#outboxes[g]!;
    return box.empty ? null : box.take(shard);
  }

  #fanOut(
    recipients: Iterable<PlayerImpl | DirectoryRecord>,
    message: ServerMessage,
    options: BroadcastOptions | undefined,
  ): void {
    const except = options?.except;
    const indexes = this.#indexes;
    let text: string | undefined;
    let flags = 0;
    for (const r of recipients) {
      if (r.username === except) continue;
      const box = this.#outboxes[r.gateway];
      if (box === undefined) continue;
      if (text === undefined) {
        text = JSON.stringify(message);
        flags = flagsOf(message, options);
      }
      let idx = indexes[r.gateway]!;
      if (idx < 0) indexes[r.gateway] = idx = box.addString(text);
      box.send(r.conn, idx, flags);
    }
    if (text !== undefined) indexes.fill(-1);
  }
}

function flagsOf(message: ServerMessage, options: SendOptions | undefined): number {
  return (options?.priority === 'low' ? SendFlag.Low : 0) | eventFlag(message.type);
}
