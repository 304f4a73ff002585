import type { JsonValue, VitalsMessage } from '@leviathan/protocol';
import { stripControls } from './render-message.js';
import { IAC, SB, SE } from './telnet-codec.js';
import { TelnetOption } from './telnet-options.js';

/**
 * GMCP (https://tintin.mudhalla.net/protocols/gmcp/): `Package.Message <json>` inside IAC SB 201 ...
 * IAC SE. The JSON is UTF-8; a 0xFF byte cannot occur in UTF-8, so no IAC escaping is needed.
 */
export function encodeGmcp(message: string, data?: JsonValue): Buffer {
  const body = data === undefined ? message : `${message} ${JSON.stringify(data)}`;
  return Buffer.concat([
    Buffer.from([IAC, SB, TelnetOption.Gmcp]),
    Buffer.from(body, 'utf8'),
    Buffer.from([IAC, SE]),
  ]);
}

/** A GMCP message from a client, or undefined when it is not one (bad UTF-8 or JSON). */
export function decodeGmcp(payload: Uint8Array): { message: string; data: unknown } | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(payload);
  } catch {
    return undefined;
  }
  const space = text.indexOf(' ');
  const message = (space < 0 ? text : text.slice(0, space)).trim();
  if (!/^[A-Za-z][\w.-]*$/.test(message)) return undefined;
  if (space < 0 || text.slice(space + 1).trim() === '') return { message, data: undefined };
  try {
    return { message, data: JSON.parse(text.slice(space + 1)) };
  } catch {
    return undefined;
  }
}

/**
 * The GMCP packages a client asked for with Core.Supports.Set/Add/Remove: `Room 1` enables
 * `Room.*`. Until a client says, every package is sent (TinTin++ and many scripts never say).
 */
export class GmcpSupports {
  #packages: Set<string> | undefined;

  has(message: string): boolean {
    if (this.#packages === undefined) return true;
    return this.#packages.has(message.split('.')[0]!.toLowerCase());
  }

  /** Takes a client message; returns true when it was a Core message this class handles. */
  receive(message: string, data: unknown): boolean {
    const name = message.toLowerCase();
    if (name !== 'core.supports.set' && name !== 'core.supports.add' && name !== 'core.supports.remove')
      return false;
    if (!Array.isArray(data)) return true;
    const names = data
      .filter((d): d is string => typeof d === 'string')
      .map((d) => d.trim().split(/\s+/)[0]!.split('.')[0]!.toLowerCase());
    if (name === 'core.supports.set' || this.#packages === undefined) this.#packages = new Set();
    for (const n of names) {
      if (name === 'core.supports.remove') this.#packages.delete(n);
      else this.#packages.add(n);
    }
    return true;
  }
}

/** A stable number for a room id: mappers (Mudlet's) key rooms by a number. FNV-1a, 31 bits. */
export function roomNumber(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 1 || 1;
}

/** The short direction names mappers expect as exit keys. */
const SHORT: Record<string, string> = {
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
  up: 'u',
  down: 'd',
};

/** Room.Info from the protocol's `room` message. */
export function roomInfo(room: {
  id: string;
  zone: string;
  title: string;
  exits: Array<{ direction: string; room?: string }>;
}): JsonValue {
  const exits: Record<string, number> = {};
  for (const e of room.exits) {
    if (e.room !== undefined) exits[SHORT[e.direction] ?? e.direction] = roomNumber(e.room);
  }
  return { num: roomNumber(room.id), id: room.id, name: room.title, area: room.zone, zone: room.zone, exits };
}

/**
 * Char.Vitals from the protocol's `vitals`, in the keys and form of the IRE games' GMCP, which
 * Mudlet's and most clients' packages read: health as `hp`, energy as the mana pair `mp`, each
 * figure a string of digits (`{"hp":"30","maxhp":"30","mp":"20","maxmp":"20"}`). Servers differ
 * (MUME and Aardwolf send numbers, IRE strings); strings suit scripts written for either, since
 * Lua (Mudlet) and TinTin++ take a string of digits as a number in arithmetic.
 */
export function charVitals(v: VitalsMessage): JsonValue {
  return { hp: `${v.health}`, maxhp: `${v.maxHealth}`, mp: `${v.energy}`, maxmp: `${v.maxEnergy}` };
}

/**
 * Char.Status: who is playing and, once the game sent vitals, the level and experience, as strings
 * like Char.Vitals. Always whole: Mudlet replaces its `gmcp.Char.Status` table with each message.
 */
export function charStatus(name: string, v: VitalsMessage | undefined): JsonValue {
  return v === undefined ? { name } : { name, level: `${v.level}`, xp: `${v.xp}` };
}

/**
 * Char.Quests from the game's `quests` event: the quests in progress (`id`, `title`, `step`,
 * `steps`, `todo`, the step's text) and how many are done, whole each time like Char.Status. Our
 * own package (no other server defines one): numbers stay numbers. Undefined for a malformed
 * event, which is dropped rather than shown half.
 */
export function charQuests(data: unknown): JsonValue | undefined {
  const d = data as { active?: unknown; done?: unknown } | null;
  if (typeof d !== 'object' || d === null || !Array.isArray(d.active) || typeof d.done !== 'number') {
    return undefined;
  }
  const active: JsonValue[] = [];
  for (const q of d.active as Array<Record<string, unknown>>) {
    const { id, title, step, steps, todo } = q ?? {};
    if (typeof id !== 'string' || typeof title !== 'string' || typeof todo !== 'string') return undefined;
    if (typeof step !== 'number' || typeof steps !== 'number') return undefined;
    active.push({ id, title: stripControls(title), step, steps, todo: stripControls(todo) });
  }
  return { active, done: d.done };
}
