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
 * Low-priority messages one player of this shard may be sent in one tick, and their bytes (UTF-16
 * code units of the encoded JSON; the first message of a tick passes whatever its size); past
 * either, they are shed here, before they cost an entry in the output batch, a copy to the
 * gateway and a write (`droppedLow`, exported as
 * `leviathan_messages_dropped_total{reason="tick_budget"}`). At the MUD's 10 Hz, 80 messages or
 * 80 KiB a second: more than anyone reads.
 *
 * Where a budget belongs, measured on the busy 2-core machine (benchmarks/src/crowd, one run each):
 * - 3,000 players in one room, each saying a line a second (low priority in a MUD crowd): with no
 *   budget in the shard (the gateway's alone) the shard fanned out 18 million deliveries a second,
 *   answered none of 12,058 commands, and the process grew from 390 MB to 873 MB (median; 1.15 GB
 *   at most). With 16 a tick checked player by player, every command answered but the shard shed
 *   6 million a second one by one (p99 7.4 s); shed whole per room (#roomWithinBudget), +24 MB and
 *   p99 3.8 s; with 8 a tick, +21 MB (275 → 297 MB). The gateway's budget never fired in these
 *   runs (loopback clients read; what they leave unread waits in kernel buffers of megabytes).
 * - 300 readers that stopped reading, each asking for 16 low-priority messages of 4 KiB a tick:
 *   +195 to +268 MB in 40 s with a count alone (16 × 4 KiB go into every batch, are copied to the
 *   gateway and shed there or queued), +36 to +63 MB with LOW_BYTES_PER_TICK as well.
 * So the budget that keeps memory (and the tick) flat is this one, per player per tick; the
 * gateway's per socket (LOW_BUDGET_BYTES) caps what a slow reader's socket queues beyond it.
 */
export const LOW_PER_TICK = 8;
export const LOW_BYTES_PER_TICK = 8 * 1024;

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
  /**
   * Low-priority broadcasts this tick, per room (or zone) set of recipients. Each takes its share
   * of the budget of everyone there, so past LOW_PER_TICK of them (or LOW_BYTES_PER_TICK) nobody
   * who was there all along can take another: the rest are shed whole, for a Map lookup instead
   * of a walk through the crowd (see LOW_PER_TICK for what that changed).
   */
  readonly #lowBroadcasts = new Map<ReadonlySet<unknown>, { n: number; bytes: number }>();
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

  /**
   * Makes room for gateway indexes up to `gateway`: on a cluster node, main attaches the gateways of
   * other nodes after the local ones, as they connect (server/remote-gateways.ts).
   */
  addGateway(gateway: number): void {
    while (this.#outboxes.length <= gateway) {
      this.#outboxes.push(new Outbox());
      this.#indexes.push(-1);
    }
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
    const text = JSON.stringify(message);
    if (priority === 'low' && !this.#withinBudget(p, text.length)) return;
    this.sendRaw(p.gateway, p.conn, text, flagsOf(message, priority));
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
    const text = JSON.stringify(message);
    // Shed past the player's budget: still "sent" for the game (the player is online).
    if (
      (flags & SendFlag.Low) !== 0 &&
      route instanceof PlayerImpl &&
      !this.#withinBudget(route, text.length)
    )
      return true;
    this.sendRaw(route.gateway, route.conn, text, flags);
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

  /** Closes connection `conn` of gateway `gateway`, for a player this shard never admitted. */
  kickConn(gateway: number, conn: number, code: number, reason: string): void {
    this.#outboxes[gateway]?.kick(conn, code, reason);
  }

  /**
   * The output for gateway `g` of this tick, or null when there is nothing to send. The tick's
   * presence leaves first (into every gateway's outbox), and taking the last gateway's output
   * ends the tick's per-player budgets.
   */
  take(g: number, shard: number): OutputBatch | null {
    if (this.#presence.pending) this.#presence.flush(this);
    if (g === this.#outboxes.length - 1) {
      this.#epoch++;
      this.#lowBroadcasts.clear();
    }
    const box = this.#outboxes[g]!;
    return box.empty ? null : box.take(shard);
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
    if (recipients instanceof Set && recipients.size === 0) return;
    const low = priority === 'low';
    // Encoded at the first recipient (none: never), or now when the budget needs its size.
    let text: string | undefined;
    let flags = 0;
    if (low) {
      text = JSON.stringify(message);
      flags = flagsOf(message, priority);
      if (recipients instanceof Set && !this.#roomWithinBudget(recipients, text.length)) return;
    }
    for (const r of recipients) {
      if (r.username === one || many?.has(r.username)) continue;
      // Only this shard's players carry a budget; another shard's (a room elsewhere) do not.
      if (low && r instanceof PlayerImpl && !this.#withinBudget(r, text!.length)) continue;
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

  /** Counts a low-priority message of `bytes` against the player's budget for this tick. */
  #withinBudget(p: PlayerImpl, bytes: number): boolean {
    if (p.lowEpoch !== this.#epoch) {
      p.lowEpoch = this.#epoch;
      p.lowSent = 0;
      p.lowBytes = 0;
    }
    if (p.lowSent >= LOW_PER_TICK || (p.lowSent > 0 && p.lowBytes + bytes > LOW_BYTES_PER_TICK)) {
      this.droppedLow++;
      return false;
    }
    p.lowSent++;
    p.lowBytes += bytes;
    return true;
  }

  /**
   * The same budget for a low-priority broadcast to a whole room (or zone): once its broadcasts
   * this tick would be past it for someone there since the start of the tick, it is shed whole.
   */
  #roomWithinBudget(recipients: ReadonlySet<unknown>, bytes: number): boolean {
    const sent = this.#lowBroadcasts.get(recipients);
    if (sent === undefined) {
      this.#lowBroadcasts.set(recipients, { n: 1, bytes });
      return true;
    }
    if (sent.n >= LOW_PER_TICK || sent.bytes + bytes > LOW_BYTES_PER_TICK) {
      this.droppedLow += recipients.size;
      return false;
    }
    sent.n++;
    sent.bytes += bytes;
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
