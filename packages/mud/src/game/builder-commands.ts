import { type CommandContext, CommandError, defineCommand } from '@leviathan/engine';
import { closestWord } from '../commands/did-you-mean.js';
import { parseDirection } from '../commands/directions.js';
import { capitalize } from '../render/text.js';
import { DIRECTIONS, type Direction, OPPOSITE, type WorldRoom } from '../world/world-types.js';
import type { ZoneFile } from '../world/zone-file.js';
import type { ZoneChange } from './apply-zone.js';
import type { MudRuntime } from './mud-runtime.js';
import { type AnyCommand, roomId } from './mud-state.js';
import { changeZone } from './zone-edits.js';
import { askZoneShardToReload, reloadZoneHere } from './zone-reload.js';

/** Ids as the loader accepts them (world-builder.ts). */
const ID = /^[a-z][a-z0-9_-]{0,47}$/;
const ROOM_REF = /^(?:[a-z][a-z0-9_-]{0,47}:)?[a-z][a-z0-9_-]{0,47}$/;

/** Every builder command's name (none answers to a prefix: each writes a world file). */
export const BUILDER_COMMANDS = ['dig', 'link', 'unlink', 'describe', 'retitle', 'place', 'reload'] as const;

/** The description a dug room has until a builder writes one. */
const UNFINISHED = 'An unfinished room. Bare walls wait for a description.';

/**
 * Building in the game, for the builder role: each command edits the zone file of the builder's
 * zone (zone-edits.ts: validated as the loader does, written atomically) and applies it to the
 * running zone at once. Commands run on the shard of the builder's zone, which owns it; the other
 * shards are told, and read the zone's definitions again (zone-shards.ts).
 */
export function builderCommands(mud: MudRuntime): AnyCommand[] {
  const role = mud.options.builderRole;

  /** Edits the builder's zone, then refreshes the rooms it changed for graphical clients. */
  const build = (ctx: CommandContext, edit: (file: ZoneFile) => void): ZoneChange => {
    const change = changeZone(mud, ctx, ctx.here, edit);
    for (const room of change.changed) mud.refreshRoom(ctx, ctx.here, room);
    return change;
  };

  const dig = defineCommand({
    name: 'dig',
    role,
    usage: 'dig <direction> <room-id> [title]',
    help: 'Makes a new room of this zone through an exit of this room, with the way back, and saves it to the zone file.',
    run: (ctx, rest) => {
      const [dirWord, id, ...titleWords] = rest.split(/\s+/).filter(Boolean);
      if (!dirWord || !id) throw new CommandError('Usage: dig <direction> <room-id> [title]');
      const dir = direction(dirWord);
      const here = currentRoom(mud, ctx);
      const taken = here.exits.find((e) => e.direction === dir);
      if (taken) throw new CommandError(`There is already an exit ${dir} (to ${taken.to}); unlink it first.`);
      if (!ID.test(id))
        throw new CommandError(
          `"${id}" is not a room id (lower case letters, digits, - and _, from a letter).`,
        );
      const full = roomId(ctx.here.id, id);
      const existing = mud.world.rooms.get(full);
      if (existing) throw new CommandError(`Room ${full} already exists (${existing.title}).`);
      const title = titleWords.join(' ') || capitalize(id.replace(/[-_]+/g, ' '));
      const local = ctx.player.room!;
      build(ctx, (file) => {
        file.addRoom(id, title, UNFINISHED, { [OPPOSITE[dir]]: local });
        file.setExit(local, dir, id);
      });
      ctx.reply(`You dig ${dir} and make ${full} (${title}), with a way back ${OPPOSITE[dir]}.`);
    },
  });

  const link = defineCommand({
    name: 'link',
    role,
    usage: 'link <direction> <zone:room>',
    help: 'Makes (or replaces) an exit of this room, one way, to any room; saved to the zone file.',
    run: (ctx, rest) => {
      const [dirWord, target] = rest.split(/\s+/).filter(Boolean);
      if (!dirWord || !target) throw new CommandError('Usage: link <direction> <zone:room>');
      const dir = direction(dirWord);
      const ref = target.toLowerCase();
      if (!ROOM_REF.test(ref))
        throw new CommandError(`"${target}" is not a room id (such as harbor:square).`);
      const full = ref.includes(':') ? ref : roomId(ctx.here.id, ref);
      const local = ctx.player.room!;
      const old = currentRoom(mud, ctx).exits.find((e) => e.direction === dir);
      // Written as the loader reads it: a room of the same zone by its own id.
      const written = full.startsWith(`${ctx.here.id}:`) ? full.slice(ctx.here.id.length + 1) : full;
      // The loader checks the target (with a "did you mean"), also a room dug on another shard.
      build(ctx, (file) => file.setExit(local, dir, written));
      const title = mud.world.rooms.get(full)?.title ?? full;
      ctx.reply(
        `${old ? `The exit ${dir} now leads` : `You open an exit ${dir}`} to ${full} (${title}). It is one way: link back from there.`,
      );
    },
  });

  const unlink = defineCommand({
    name: 'unlink',
    role,
    usage: 'unlink <direction>',
    help: "Removes an exit of this room (one way: the other room's exit stays); saved to the zone file.",
    run: (ctx, rest) => {
      if (!rest) throw new CommandError('Usage: unlink <direction>');
      const dir = direction(rest);
      const exit = currentRoom(mud, ctx).exits.find((e) => e.direction === dir);
      if (!exit) throw new CommandError(`There is no exit ${dir} here.`);
      const local = ctx.player.room!;
      build(ctx, (file) => file.removeExit(local, dir));
      ctx.reply(`The exit ${dir} (to ${exit.to}) is gone.`);
    },
  });

  const describe = defineCommand({
    name: 'describe',
    role,
    usage: 'describe <text>',
    help: "Sets this room's description; saved to the zone file.",
    run: (ctx, said) => {
      if (!said) throw new CommandError('Usage: describe <text>');
      currentRoom(mud, ctx);
      const local = ctx.player.room!;
      build(ctx, (file) => file.setRoomText(local, 'description', said));
      ctx.reply('The room takes on its new description.');
    },
  });

  const retitle = defineCommand({
    name: 'retitle',
    role,
    usage: 'retitle <text>',
    help: "Sets this room's title; saved to the zone file.",
    run: (ctx, said) => {
      if (!said) throw new CommandError('Usage: retitle <text>');
      if (said.length > 80) throw new CommandError('A title has at most 80 characters.');
      currentRoom(mud, ctx);
      const local = ctx.player.room!;
      build(ctx, (file) => file.setRoomText(local, 'title', said));
      ctx.reply(`This room is now called ${said}.`);
    },
  });

  const place = defineCommand({
    name: 'place',
    role,
    usage: 'place item <item> | place npc <npc>',
    help: "Adds an item to this room's placements (it appears now and respawns), or makes this room an NPC's spawn (it comes here now); saved to the zone file.",
    run: (ctx, rest) => {
      const [kind, id] = rest.split(/\s+/).filter(Boolean);
      const local = ctx.player.room!;
      currentRoom(mud, ctx);
      if (kind === 'item' && id) {
        const item = mud.world.items.get(id);
        if (!item || id.includes(':')) throw new CommandError(`No item "${id}"${hint(id, itemIds(mud))}.`);
        build(ctx, (file) => file.addRoomItem(local, id));
        ctx.reply(`You place ${item.name} here; it will be here whenever the zone loads.`);
        return;
      }
      if (kind === 'npc' && id) {
        const npc = mud.world.npcs.get(id);
        if (!npc) throw new CommandError(`No NPC "${id}"${hint(id, mud.world.npcs.keys())}.`);
        if (npc.zone !== ctx.here.id)
          throw new CommandError(
            `${capitalize(npc.name)} belongs to zone ${npc.zone}: NPCs live only in their own zone.`,
          );
        build(ctx, (file) => file.setNpcSpawn(id, local));
        const entity = ctx.here.entities.get(`npc-${id}`);
        // A dead NPC keeps its respawn clock and comes back here; a living one walks over now.
        if (entity?.room !== undefined && entity.room !== local) {
          const from = entity.room;
          entity.room = local;
          ctx.markDirty(entity);
          mud.refreshRoom(ctx, ctx.here, from);
          mud.refreshRoom(ctx, ctx.here, local);
        }
        ctx.reply(`${capitalize(npc.name)} now belongs here.`);
        return;
      }
      throw new CommandError('Usage: place item <item> | place npc <npc>');
    },
  });

  const reload = defineCommand({
    name: 'reload',
    role,
    usage: 'reload zone [zone]',
    help: 'Reads a zone file again and applies it without a restart; nobody is disconnected. A broken file is refused. A zone of another shard is reloaded there, and you are told how it went.',
    run: (ctx, rest) => {
      const [what, id = ctx.here.id] = rest.split(/\s+/).filter(Boolean);
      if (what !== 'zone') throw new CommandError('Usage: reload zone [zone]');
      const zone = ctx.zone(id);
      if (zone) {
        ctx.reply(reloadZoneHere(mud, ctx, zone, ctx.player.username));
        return;
      }
      if (!mud.world.zones.has(id))
        throw new CommandError(`No zone "${id}"${hint(id, mud.world.zones.keys())}.`);
      askZoneShardToReload(ctx, id, ctx.player.username);
      ctx.reply(`Zone ${id} runs on another shard: it reloads it, and tells you how it went.`, {
        zone: id,
        forwarded: true,
      });
    },
  });

  return [dig, link, unlink, describe, retitle, place, reload];
}

function direction(word: string): Direction {
  const dir = parseDirection(word);
  if (!dir) throw new CommandError(`"${word}" is not a direction${hint(word, DIRECTIONS)}.`);
  return dir;
}

/** The builder's room as the world has it; builders outside any room build nothing. */
function currentRoom(mud: MudRuntime, ctx: CommandContext): WorldRoom {
  const room = mud.world.rooms.get(roomId(ctx.player.zone, ctx.player.room));
  if (!room) throw new CommandError('You are not in a room of the world.');
  return room;
}

function itemIds(mud: MudRuntime): string[] {
  return [...mud.world.items.keys()].filter((id) => !id.includes(':'));
}

function hint(word: string, candidates: Iterable<string>): string {
  const best = closestWord(word, candidates);
  return best ? ` (did you mean ${best}?)` : '';
}
