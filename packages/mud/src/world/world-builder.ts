import { closestWord } from '../commands/did-you-mean.js';
import { WorldInvalidError } from '../errors.js';
import { readItemEquip } from './read-item-equip.js';
import { readNpcCombat } from './read-npc-combat.js';
import { readItemValue, readNpcShop } from './read-npc-shop.js';
import { checkQuestRefs, type QuestRef, readQuest } from './read-quest.js';
import { Checker, isPlainObject } from './schema.js';
import { joinPath } from './world-issue.js';
import {
  DIRECTIONS,
  type Direction,
  type World,
  type WorldExit,
  type WorldItem,
  type WorldNpc,
  type WorldRoom,
  type WorldZone,
} from './world-types.js';

const ID = /^[a-z][a-z0-9_-]{0,47}$/;
/** A room reference: `room` in the same zone, or `zone:room`. */
const ROOM_REF = /^(?:[a-z][a-z0-9_-]{0,47}:)?[a-z][a-z0-9_-]{0,47}$/;

interface PendingRef {
  check: Checker;
  path: string;
  ref: string;
  zone: string;
  apply: (fullId: string) => void;
}

/**
 * Builds a World from parsed world files: reads them one by one (`readWorldFile`, then each
 * `readZoneFile`), checking every field against the format, then resolves references across files
 * in `finish`, which throws WorldInvalidError listing every problem found.
 */
export class WorldBuilder {
  readonly #checks: Checker[] = [];
  readonly #world: World = {
    name: '',
    motd: '',
    spawn: [],
    zones: new Map(),
    rooms: new Map(),
    items: new Map(),
    npcs: new Map(),
    quests: new Map(),
  };
  readonly #roomRefs: PendingRef[] = [];
  /** Item references to resolve in `finish`; `sold` for a shop's wares, which must have a value. */
  readonly #itemRefs: Array<{ check: Checker; path: string; id: string; sold?: true }> = [];
  readonly #itemFiles = new Map<string, string>();
  readonly #npcFiles = new Map<string, string>();
  readonly #npcPaths = new Map<string, { check: Checker; path: string }>();
  readonly #questFiles = new Map<string, string>();
  readonly #questRefs: QuestRef[] = [];

  readWorldFile(file: string, data: unknown): void {
    const c = this.#checker(file);
    const o = c.object(data, '', { required: ['name', 'spawn'], optional: ['motd'] });
    if (!o) return;
    this.#world.name = c.string(o.name, 'name', { max: 80 }) ?? '';
    this.#world.motd =
      o.motd === undefined ? '' : normalizeProse(c.string(o.motd, 'motd', { max: 4000 }) ?? '');
    const spawn = c.stringList(o.spawn, 'spawn') ?? [];
    if (o.spawn !== undefined && spawn.length === 0) c.fail('spawn', 'needs at least one room');
    spawn.forEach((ref, i) => {
      if (!ref.includes(':')) {
        c.fail(joinPath('spawn', i), `"${ref}" must name its zone, as "zone:room"`);
        return;
      }
      this.#roomRefs.push({
        check: c,
        path: joinPath('spawn', i),
        ref,
        zone: '',
        apply: (id) => this.#world.spawn.push(id),
      });
    });
  }

  readZoneFile(file: string, data: unknown): void {
    const c = this.#checker(file);
    const o = c.object(data, '', {
      required: ['id', 'name', 'rooms'],
      optional: ['description', 'shard', 'items', 'npcs', 'quests'],
    });
    if (!o) return;
    const id = c.string(o.id, 'id', { pattern: ID });
    if (id === undefined) return;
    const other = this.#world.zones.get(id);
    if (other) {
      c.fail('id', `zone "${id}" is already defined in ${other.file}`);
      return;
    }
    const zone: WorldZone = {
      id,
      name: c.string(o.name, 'name', { max: 80 }) ?? id,
      description: o.description === undefined ? '' : (c.string(o.description, 'description') ?? ''),
      rooms: [],
      file,
    };
    if (o.shard !== undefined) {
      const shard = c.number(o.shard, 'shard', { min: 0, max: 1023, integer: true });
      if (shard !== undefined) zone.shard = shard;
    }
    this.#world.zones.set(id, zone);
    for (const [key, value] of c.map(o.rooms, 'rooms', ID) ?? []) this.#readRoom(c, zone, key, value);
    if (o.rooms !== undefined && zone.rooms.length === 0 && isPlainObject(o.rooms))
      c.fail('rooms', 'needs at least one room');
    if (o.items !== undefined)
      for (const [key, value] of c.map(o.items, 'items', ID) ?? []) this.#readItem(c, key, value);
    if (o.npcs !== undefined)
      for (const [key, value] of c.map(o.npcs, 'npcs', ID) ?? []) this.#readNpc(c, zone, key, value);
    if (o.quests !== undefined)
      for (const [key, value] of c.map(o.quests, 'quests', ID) ?? []) this.#readQuest(c, key, value);
  }

  #readQuest(c: Checker, key: string, value: unknown): void {
    const path = joinPath('quests', key);
    const other = this.#questFiles.get(key);
    if (other) {
      c.fail(path, `quest "${key}" is already defined in ${other}`);
      return;
    }
    const read = readQuest(c, key, value, path);
    if (!read) return;
    // Prose as everywhere else (normalizeProse lives here, which read-quest.ts cannot import).
    read.quest.offer = normalizeProse(read.quest.offer);
    for (const step of read.quest.steps)
      if (step.kind !== 'kill' && step.say) step.say = normalizeProse(step.say);
    this.#questFiles.set(key, c.file);
    this.#world.quests.set(key, read.quest);
    this.#questRefs.push(...read.refs);
  }

  #readRoom(c: Checker, zone: WorldZone, key: string, value: unknown): void {
    const path = joinPath('rooms', key);
    const o = c.object(value, path, {
      required: ['title', 'description'],
      optional: ['exits', 'items', 'details'],
    });
    if (!o) return;
    const room: WorldRoom = {
      id: `${zone.id}:${key}`,
      zone: zone.id,
      title: c.string(o.title, joinPath(path, 'title'), { max: 80 }) ?? key,
      description: normalizeProse(
        c.string(o.description, joinPath(path, 'description'), { max: 4000 }) ?? '',
      ),
      exits: [],
      items: [],
      details: {},
    };
    if (o.exits !== undefined) {
      const exitsPath = joinPath(path, 'exits');
      const exits = c.object(o.exits, exitsPath, { optional: DIRECTIONS });
      for (const dir of DIRECTIONS) {
        if (!exits || exits[dir] === undefined) continue;
        const ref = c.string(exits[dir], joinPath(exitsPath, dir), { pattern: ROOM_REF });
        if (ref === undefined) continue;
        const exit: WorldExit = { direction: dir as Direction, to: '' };
        room.exits.push(exit);
        this.#roomRefs.push({
          check: c,
          path: joinPath(exitsPath, dir),
          ref,
          zone: zone.id,
          apply: (id) => {
            exit.to = id;
          },
        });
      }
    }
    if (o.items !== undefined) {
      const items = c.stringList(o.items, joinPath(path, 'items'), { pattern: ID }) ?? [];
      items.forEach((id, i) => {
        room.items.push(id);
        this.#itemRefs.push({ check: c, path: joinPath(joinPath(path, 'items'), i), id });
      });
    }
    if (o.details !== undefined) {
      for (const [word, text] of c.map(o.details, joinPath(path, 'details'), /^[a-z][a-z -]{0,31}$/) ?? []) {
        const t = c.string(text, joinPath(joinPath(path, 'details'), word), { max: 2000 });
        if (t !== undefined) room.details[word] = normalizeProse(t);
      }
    }
    zone.rooms.push(room.id);
    this.#world.rooms.set(room.id, room);
  }

  #readItem(c: Checker, key: string, value: unknown): void {
    const path = joinPath('items', key);
    const o = c.object(value, path, {
      required: ['name', 'description'],
      optional: ['keywords', 'takeable', 'equip', 'value'],
    });
    if (!o) return;
    const other = this.#itemFiles.get(key);
    if (other) {
      c.fail(path, `item "${key}" is already defined in ${other}`);
      return;
    }
    this.#itemFiles.set(key, c.file);
    const item: WorldItem = {
      id: key,
      name: c.string(o.name, joinPath(path, 'name'), { max: 80 }) ?? key,
      keywords: keywordsOf(c, key, o.keywords, joinPath(path, 'keywords')),
      description: normalizeProse(
        c.string(o.description, joinPath(path, 'description'), { max: 4000 }) ?? '',
      ),
      takeable: o.takeable === undefined ? true : (c.boolean(o.takeable, joinPath(path, 'takeable')) ?? true),
      value: readItemValue(c, o.value, joinPath(path, 'value')),
    };
    if (o.equip !== undefined) {
      const equip = readItemEquip(c, o.equip, joinPath(path, 'equip'));
      if (equip !== undefined) item.equip = equip;
    }
    this.#world.items.set(key, item);
  }

  #readNpc(c: Checker, zone: WorldZone, key: string, value: unknown): void {
    const path = joinPath('npcs', key);
    const o = c.object(value, path, {
      required: ['name', 'description', 'spawn'],
      optional: ['keywords', 'wander', 'greet', 'answers', 'shop', 'combat'],
    });
    if (!o) return;
    const other = this.#npcFiles.get(key);
    if (other) {
      c.fail(path, `npc "${key}" is already defined in ${other}`);
      return;
    }
    this.#npcFiles.set(key, c.file);
    const npc: WorldNpc = {
      id: key,
      name: c.string(o.name, joinPath(path, 'name'), { max: 80 }) ?? key,
      keywords: keywordsOf(c, key, o.keywords, joinPath(path, 'keywords')),
      description: normalizeProse(
        c.string(o.description, joinPath(path, 'description'), { max: 4000 }) ?? '',
      ),
      zone: zone.id,
      spawn: '',
      answers: [],
    };
    const spawnPath = joinPath(path, 'spawn');
    const spawn = c.string(o.spawn, spawnPath, { pattern: ROOM_REF });
    if (spawn !== undefined) {
      this.#roomRefs.push({
        check: c,
        path: spawnPath,
        ref: spawn,
        zone: zone.id,
        apply: (id) => {
          npc.spawn = id;
        },
      });
    }
    if (o.wander !== undefined) {
      const wp = joinPath(path, 'wander');
      const w = c.object(o.wander, wp, { required: ['every'], optional: ['chance'] });
      if (w) {
        const everySec = c.number(w.every, joinPath(wp, 'every'), { min: 1, max: 86_400 });
        const chance =
          w.chance === undefined ? 1 : c.number(w.chance, joinPath(wp, 'chance'), { min: 0, max: 1 });
        if (everySec !== undefined && chance !== undefined) npc.wander = { everySec, chance };
      }
    }
    if (o.greet !== undefined) {
      const g = c.string(o.greet, joinPath(path, 'greet'), { max: 1000 });
      if (g !== undefined) npc.greet = g;
    }
    if (o.answers !== undefined) {
      const ap = joinPath(path, 'answers');
      (c.array(o.answers, ap) ?? []).forEach((entry, i) => {
        const ep = joinPath(ap, i);
        const a = c.object(entry, ep, { required: ['keywords', 'reply'] });
        if (!a) return;
        const keywords = c.stringList(a.keywords, joinPath(ep, 'keywords'), { pattern: /^[a-z0-9' -]+$/i });
        const reply = c.string(a.reply, joinPath(ep, 'reply'), { max: 2000 });
        if (keywords && reply !== undefined)
          npc.answers.push({ keywords: keywords.map((k) => k.toLowerCase()), reply: normalizeProse(reply) });
      });
    }
    if (o.shop !== undefined) {
      const read = readNpcShop(c, o.shop, joinPath(path, 'shop'));
      if (read) {
        npc.shop = read.shop;
        for (const ref of read.refs) this.#itemRefs.push({ check: c, ...ref, sold: true });
      }
    }
    if (o.combat !== undefined) {
      const combat = readNpcCombat(c, o.combat, joinPath(path, 'combat'), (id, at) =>
        this.#itemRefs.push({ check: c, path: at, id }),
      );
      if (combat !== undefined) {
        npc.combat = combat;
        // What it leaves when it dies: an item of its own, under an id no world file can use.
        this.#world.items.set(corpseItemId(key), {
          id: corpseItemId(key),
          name: `the corpse of ${npc.name}`,
          keywords: ['corpse', 'body', 'remains'],
          description: `What is left of ${npc.name}. It will not be here long.`,
          takeable: false,
          value: 0,
        });
      }
    }
    this.#world.npcs.set(key, npc);
    this.#npcPaths.set(key, { check: c, path });
  }

  finish(dir: string): World {
    const w = this.#world;
    const roomIds = [...w.rooms.keys()];
    for (const r of this.#roomRefs) {
      const full = r.ref.includes(':') ? r.ref : `${r.zone}:${r.ref}`;
      if (w.rooms.has(full)) {
        r.apply(full);
        continue;
      }
      const [zoneId] = full.split(':');
      if (!w.zones.has(zoneId ?? '')) {
        const hint = closestWord(zoneId ?? '', w.zones.keys());
        r.check.fail(r.path, `no zone "${zoneId}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
        continue;
      }
      const hint = closestWord(full, roomIds);
      r.check.fail(r.path, `no room "${full}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
    }
    for (const ref of this.#itemRefs) {
      const item = w.items.get(ref.id);
      if (item && ref.sold && item.value === 0) {
        ref.check.fail(ref.path, `item "${ref.id}" has no value, so it has no price: give it a \`value\``);
      }
      if (item) continue;
      const hint = closestWord(ref.id, w.items.keys());
      ref.check.fail(ref.path, `no item "${ref.id}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
    }
    for (const npc of w.npcs.values()) {
      const at = this.#npcPaths.get(npc.id)!;
      if (!npc.spawn) continue;
      const room = w.rooms.get(npc.spawn);
      if (room && room.zone !== npc.zone) {
        at.check.fail(
          joinPath(at.path, 'spawn'),
          `"${npc.spawn}" is in zone "${room.zone}", but NPCs live and wander only in their own zone ("${npc.zone}")`,
        );
      } else if (
        room &&
        npc.wander &&
        room.exits.every((e) => e.to) &&
        !room.exits.some((e) => e.to.startsWith(`${npc.zone}:`))
      ) {
        at.check.fail(
          joinPath(at.path, 'wander'),
          `it wanders, but its room "${room.id}" has no exit inside zone "${npc.zone}"`,
        );
      }
    }
    checkQuestRefs(w, this.#questRefs);
    if (w.zones.size === 0 && this.#checks.length > 0) {
      this.#checks[0]!.fail('', 'the world has no zones (add zone files under zones/)');
    }
    const issues = this.#checks.flatMap((c) => c.issues);
    if (issues.length > 0) throw new WorldInvalidError(dir, issues);
    return w;
  }

  #checker(file: string): Checker {
    const c = new Checker(file);
    this.#checks.push(c);
    return c;
  }
}

/** The item an NPC's corpse is (`corpse:eel`): the colon keeps it apart from every world item id. */
export function corpseItemId(npc: string): string {
  return `corpse:${npc}`;
}

function keywordsOf(c: Checker, id: string, value: unknown, path: string): string[] {
  const words = value === undefined ? [] : (c.stringList(value, path, { pattern: /^[a-z0-9' -]+$/i }) ?? []);
  const out = new Set<string>([id, ...words.map((w) => w.toLowerCase())]);
  return [...out];
}

/**
 * Joins the lines of a YAML block into paragraphs: single newlines become spaces (authors wrap
 * prose to fit their editor), blank lines stay paragraph breaks. Clients wrap to their width.
 */
export function normalizeProse(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter((p) => p.length > 0)
    .join('\n\n');
}
