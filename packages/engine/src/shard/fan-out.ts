import { CloseCode, type ServerMessage } from '@leviathan/protocol';
import type { BroadcastOptions, Priority, SendOptions } from '../game/context.js';
import type { Player } from '../game/player.js';
import type { PresenceEvent, PresenceOptions } from '../game/presence.js';
import { eventFlag, Outbox, type OutputBatch, SendFlag } from '../ipc/output-batch.js';
import type { DirectoryRecord } from '../ipc/state-batch.js';
import type { DirectoryReplica } from './directory-replica.js';
import type { PlayerRegistry } from './player-registry.js';
import { PresenceCoalescer, type RoomSender } from './presence-coalescer.js';
import { PlayerImpl } from './world-objects.js';

/** A recipient: where its socket is. Local players and directory records both have these. */
interface Route {
  readonly username: string;
  readonly gateway: number;
  readonly conn: number;
}

/**
 * Low-priority messages one player of this shard may be sent in one tick; past it they are shed
 * here, before they take any room in the output batch (`droppedLow`, exported as
 * `leviathan_messages_dropped_total{reason="tick_budget"}`). At the MUD's 10 Hz, 160 a second:
 * more than anyone reads. (figures in the comment of LOW_BYTES_PER_BATCH, gateway/socket-writer.ts)
 */
export const LOW_PER_TICK = 16;

/**
 * Everything a shard sends during a tick, one Outbox per gateway, taken as one OutputBatch per
 * gateway at the end of the tick. A message to many players is encoded once and added once per
 * gateway; each recipient then costs one (conn, string index, flags) triplet, whatever the size
 * of the message or of the crowd. Presence events (`ctx.presence`) wait in a PresenceCoalescer
 * until the tick's output is taken, and low-priority messages are shed per player past
 * LOW_PER_TICK.
 */
export class FanOut implements RoomSender {
  readonly #outboxes: Outbox[] = [];
  readonly #players: PlayerRegistry;
  readonly #directory: DirectoryReplica;
  readonly #presence: PresenceCoalescer;
  /** Per gateway, the index of the message being fanned out (-1: not added to that outbox yet). */
  readonly #indexes: number[] = [];
  /** Counts the ticks whose output was taken: a player's low-priority budget is per epoch. */
  #epoch = 1;
  /** Low-priority messages shed by the per-player budget, since the start (read at scrapes). */
  droppedLow = 0;

  constructor(
    gateways: number,
    players: PlayerRegistry,
    directory: DirectoryReplica,
    presence?: PresenceOptions,
  ) {
    for (let g = 0; g < gateways; g++) {
      this.#outboxes.push(new Outbox());
      this.#indexes.push(-1);
    }
    this.#players = players;
    this.#directory = directory;
    this.#presence = new PresenceCoalescer(presence);
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

  /** A message to a player of this shard (the one running a command), within its budget. */
  sendToPlayer(p: PlayerImpl, message: ServerMessage, priority: Priority | undefined): void {
    if (priority === 'low' && !this.#withinBudget(p)) return;
    this.sendRaw(p.gateway, p.conn, JSON.stringify(message), flagsOf(message, priority));
  }

  sendTo(target: string | Player, message: ServerMessage, options?: SendOptions): boolean {
    const flags = flagsOf(message, options?.priority);
    let route: Route | undefined;
    if (typeof target !== 'string' && this.#players.owns(target as PlayerImpl)) route = target as PlayerImpl;
    else {
      const name = typeof target === 'string' ? target : target.username;
      route = this.#players.byName(name) ?? this.#directory.record(name);
    }
    if (route === undefined) return false;
    // Shed past the player's budget: still "sent" for the game (the player is online).
    if ((flags & SendFlag.Low) !== 0 && route instanceof PlayerImpl && !this.#withinBudget(route))
      return true;
    this.sendRaw(route.gateway, route.conn, JSON.stringify(message), flags);
    return true;
  }

  toRoom(zone: string, room: string, message: ServerMessage, options?: BroadcastOptions): void {
    this.sendToRoom(zone, room, message, options?.priority, exceptOf(options?.except));
  }

  /** A message to a room but those in `except` (the coalescer's way in; toRoom's too). */
  sendToRoom(
    zone: string,
    room: string,
    message: ServerMessage,
    priority: Priority | undefined,
    except: string | ReadonlySet<string> | undefined,
  ): void {
    const local = this.#players.zones.get(zone);
    if (local !== undefined) this.#fanOut(local.occupants(room), message, priority, except);
    else this.#fanOut(this.#directory.inRoom(zone, room), message, priority, except);
  }

  toZone(zone: string, message: ServerMessage, options?: BroadcastOptions): void {
    const local = this.#players.zones.get(zone);
    const except = exceptOf(options?.except);
    if (local !== undefined) this.#fanOut(local.members, message, options?.priority, except);
    else this.#fanOut(this.#directory.inZone(zone), message, options?.priority, except);
  }

  /** Collects a presence event for the room; they leave when the tick's output is taken. */
  presence(zone: string, room: string, event: PresenceEvent): void {
    this.#presence.add(zone, room, event);
  }

  toAll(message: ServerMessage, options?: BroadcastOptions): void {
    const exceptAll = exceptOf(options?.except);
    if (typeof exceptAll === 'object') {
      // Several to leave out: the gateways' broadcast takes one, so go player by player.
      this.#fanOut(
        this.#directory.values() as Iterable<DirectoryRecord>,
        message,
        options?.priority,
        exceptAll,
      );
      return;
    }
    const flags = flagsOf(message, options?.priority);
    const text = JSON.stringify(message);
    const except: Route | undefined =
      exceptAll === undefined
        ? undefined
        : (this.#players.byName(exceptAll) ?? this.#directory.record(exceptAll));
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

  /**
   * The output for gateway `g` of this tick, or null when there is nothing to send. The tick's
   * presence leaves first (into every gateway's outbox), and taking the last gateway's output
   * ends the tick's per-player budgets.
   */
  take(g: number, nextTickAt: number, tickMs: number, shard: number): OutputBatch | null {
    if (this.#presence.pending) this.#presence.flush(this);
    if (g === this.#outboxes.length - 1) this.#epoch++;
    const box = this.#outboxes[g]!;
    return box.empty ? null : box.take(shard, nextTickAt, tickMs);
  }

  /** Makes the next output to gateway `g` (every gateway without `g`) carry the tick phase. */
  syncPhase(g?: number): void {
    if (g !== undefined) {
      const box = this.#outboxes[g];
      if (box !== undefined) box.syncPhase = true;
    } else for (const box of this.#outboxes) box.syncPhase = true;
  }

  #fanOut(
    recipients: Iterable<PlayerImpl | DirectoryRecord>,
    message: ServerMessage,
    priority: Priority | undefined,
    except: string | ReadonlySet<string> | undefined,
  ): void {
    const indexes = this.#indexes;
    const one = typeof except === 'string' ? except : undefined;
    const many = typeof except === 'object' ? except : undefined;
    const low = priority === 'low';
    let text: string | undefined;
    let flags = 0;
    for (const r of recipients) {
      if (r.username === one || many?.has(r.username)) continue;
      // Only this shard's players carry a budget; another shard's (a room elsewhere) do not.
      if (low && r instanceof PlayerImpl && !this.#withinBudget(r)) continue;
      const box = this.#outboxes[r.gateway];
      if (box === undefined) continue;
      if (text === undefined) {
        text = JSON.stringify(message);
        flags = flagsOf(message, priority);
      }
      let idx = indexes[r.gateway]!;
      if (idx < 0) indexes[r.gateway] = idx = box.addString(text);
      box.send(r.conn, idx, flags);
    }
    if (text !== undefined) indexes.fill(-1);
  }

  /** Counts a low-priority message against the player's budget for this tick. */
  #withinBudget(p: PlayerImpl): boolean {
    if (p.lowEpoch !== this.#epoch) {
      p.lowEpoch = this.#epoch;
      p.lowSent = 0;
    }
    if (p.lowSent >= LOW_PER_TICK) {
      this.droppedLow++;
      return false;
    }
    p.lowSent++;
    return true;
  }
}

function flagsOf(message: ServerMessage, priority: Priority | undefined): number {
  return (priority === 'low' ? SendFlag.Low : 0) | eventFlag(message.type);
}

/** BroadcastOptions.except as the fan-out checks it: one name, or a Set of several. */
function exceptOf(except: string | readonly string[] | undefined): string | ReadonlySet<string> | undefined {
  if (except === undefined || typeof except === 'string') return except;
  if (except.length <= 1) return except[0];
  return new Set(except);
}
