import type { PresenceMessage, ServerMessage } from '@leviathan/protocol';
import type { Priority } from '../game/context.js';
import {
  defaultPresenceSummaryText,
  type PresenceEvent,
  type PresenceOptions,
  type PresenceSummary,
} from '../game/presence.js';

/** Where the coalescer sends (FanOut): a message to a room, but those in `except`. */
export interface RoomSender {
  sendToRoom(
    zone: string,
    room: string,
    message: ServerMessage,
    priority: Priority | undefined,
    except: string | ReadonlySet<string> | undefined,
  ): void;
}

interface PendingRoom {
  readonly zone: string;
  readonly room: string;
  events: PresenceEvent[];
  /** The first flush that may send this room's events (set after a summary). */
  quietUntil: number;
}

/** The four kinds of event a room summarises apart: arrive/depart × player/npc. */
const GROUPS = 4;
function groupOf(e: PresenceEvent): number {
  return (e.event === 'arrive' ? 0 : 2) + (e.kind === 'npc' ? 1 : 0);
}

/**
 * `ctx.presence` for one shard: arrivals and departures collected per room during the tick and
 * sent when the tick's output is taken. In a room, each kind of event (arrive or depart, player
 * or NPC) with at most `summaryAbove` events in the tick is told event by event, in order, as
 * `ctx.toRoom` would have; past it, as one summary (a `presence` with `count` and `names`, and
 * one line of text) in the place of the first of them. A crowd of n forming at r arrivals per
 * tick then costs n messages per tick instead of n × r: at 3,000 players logging in to one room,
 * the difference between every command answered and none answered at all (see
 * benchmarks/src/crowd). After a summary the room's events wait `summaryEveryTicks` flushes:
 * summarised every tick, that crowd still cost each socket a write per tick (30,000 a second at
 * 10 Hz), and the gateway thread spent most of its time in them (60 % of its profile in
 * `writeMany`); once a second, a tenth of that.
 */
export class PresenceCoalescer {
  readonly #rooms = new Map<string, PendingRoom>();
  readonly #summaryAbove: number;
  readonly #summaryNames: number;
  readonly #summaryText: (summary: PresenceSummary) => string | undefined;
  readonly #channel: string;
  readonly #every: number;
  /** Flushes so far: the coalescer's clock. */
  #flushes = 0;

  constructor(options: PresenceOptions = {}) {
    this.#summaryAbove = options.summaryAbove ?? 3;
    this.#summaryNames = Math.max(1, options.summaryNames ?? 3);
    this.#every = Math.max(1, options.summaryEveryTicks ?? 10);
    this.#summaryText = options.summaryText ?? defaultPresenceSummaryText;
    this.#channel = options.channel ?? 'room';
  }

  /** Whether a flush has anything to do (events, or rooms waiting after a summary). */
  get pending(): boolean {
    return this.#rooms.size > 0;
  }

  add(zone: string, room: string, event: PresenceEvent): void {
    const key = `${zone}\u0000${room}`;
    let pending = this.#rooms.get(key);
    if (pending === undefined) {
      pending = { zone, room, events: [], quietUntil: 0 };
      this.#rooms.set(key, pending);
    }
    pending.events.push(event);
  }

  /**
   * Sends what was collected, room by room (but rooms still waiting after a summary), and starts
   * over. Called once per tick, when its output is taken.
   */
  flush(out: RoomSender): void {
    const now = ++this.#flushes;
    for (const [key, r] of this.#rooms) {
      if (r.quietUntil > now) continue;
      if (r.events.length === 0) {
        this.#rooms.delete(key);
        continue;
      }
      const events = r.events;
      r.events = [];
      if (this.#flushRoom(out, r, events)) r.quietUntil = now + this.#every;
      else this.#rooms.delete(key);
    }
  }

  /** Tells a room its events; true when it took a summary. */
  #flushRoom(out: RoomSender, r: PendingRoom, events: readonly PresenceEvent[]): boolean {
    const counts = [0, 0, 0, 0];
    for (const e of events) counts[groupOf(e)]!++;
    const summarised = counts.map((c) => c > this.#summaryAbove);
    const told = new Array<boolean>(GROUPS).fill(false);
    let summary = false;
    for (const e of events) {
      const g = groupOf(e);
      if (!summarised[g]) this.#tellOne(out, r, e);
      else if (!told[g]) {
        told[g] = summary = true;
        this.#tellSummary(
          out,
          r,
          events.filter((x) => groupOf(x) === g),
        );
      }
    }
    return summary;
  }

  #tellOne(out: RoomSender, r: PendingRoom, e: PresenceEvent): void {
    const kind = e.kind ?? 'player';
    const message: PresenceMessage = { type: 'presence', event: e.event, name: e.name, kind };
    if (e.direction !== undefined) message.direction = e.direction;
    const except = kind === 'player' ? e.name : undefined;
    out.sendToRoom(r.zone, r.room, message, e.priority, except);
    if (e.text !== undefined)
      out.sendToRoom(
        r.zone,
        r.room,
        { type: 'text', text: e.text, channel: this.#channel },
        e.priority,
        except,
      );
  }

  #tellSummary(out: RoomSender, r: PendingRoom, events: readonly PresenceEvent[]): void {
    const first = events[0]!;
    const kind = first.kind ?? 'player';
    // Distinct names, in order: someone who came and went and came again is counted once.
    const distinct = new Set<string>();
    let direction = first.direction;
    let low = true;
    let anyText = false;
    for (const e of events) {
      distinct.add(e.name);
      if (e.direction !== direction) direction = undefined;
      if (e.priority !== 'low') low = false;
      if (e.text !== undefined) anyText = true;
    }
    const names: string[] = [];
    for (const name of distinct) {
      if (names.length === this.#summaryNames) break;
      names.push(name);
    }
    const summary: PresenceSummary = {
      zone: r.zone,
      room: r.room,
      event: first.event,
      kind,
      count: distinct.size,
      names,
      direction,
    };
    const message: PresenceMessage = {
      type: 'presence',
      event: summary.event,
      name: names[0]!,
      kind,
      count: summary.count,
      names,
    };
    if (direction !== undefined) message.direction = direction;
    const priority: Priority = low ? 'low' : 'normal';
    // The players it is about are not told (a lookup per recipient); NPCs have no socket.
    const except = kind === 'player' ? distinct : undefined;
    out.sendToRoom(r.zone, r.room, message, priority, except);
    if (!anyText) return;
    const text = this.#summaryText(summary);
    if (text !== undefined)
      out.sendToRoom(r.zone, r.room, { type: 'text', text, channel: this.#channel }, priority, except);
  }
}
