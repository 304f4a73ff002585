import { type CommandContext, CommandError, defineCommand, type Player } from '@leviathan/engine';
import { characterOf } from '../character/character-state.js';
import { findTarget } from '../commands/targets.js';
import { renderInventory } from '../render/inventory-text.js';
import { listJoin } from '../render/text.js';
import type { WorldItem } from '../world/world-types.js';
import { playersToName } from './crowd.js';
import { carryNone, giveToNpc, nobodyHere, npcTargets } from './give-npc.js';
import { type MudRuntime, tellOthersInRoom, text } from './mud-runtime.js';
import type { AnyCommand } from './mud-state.js';
import { type CarriedItem, ITEM, type ItemEntityData, itemsInRoom, playerState } from './mud-state.js';
import { startRespawnClock } from './zone-memory.js';

/** Most items one character carries. @default 20 */
export const MAX_CARRIED = 20;

/**
 * Most items lying in one room. With the carrying limit and the world's own placements it bounds
 * the items in a zone, so nobody can grow a zone's entities (and the cost of every `look` there)
 * by hoarding respawned items into one room. @default 30
 */
export const MAX_FLOOR_ITEMS = 30;

export interface Held {
  carried: CarriedItem;
  def: WorldItem;
  name: string;
  keywords: readonly string[];
}

/** The player's inventory joined with the world's item definitions (unknown items are skipped). */
export function carried(mud: MudRuntime, player: Player): Held[] {
  const out: Held[] = [];
  for (const c of playerState(player).inventory) {
    const def = mud.world.items.get(c.item);
    if (def) out.push({ carried: c, def, name: def.name, keywords: def.keywords });
  }
  return out;
}

function roomOf(ctx: CommandContext): string {
  const room = ctx.player.room;
  if (room === undefined) throw new CommandError('You are nowhere.');
  return room;
}

export function itemCommands(mud: MudRuntime): AnyCommand[] {
  const inventory = defineCommand({
    name: 'inventory',
    aliases: ['i', 'inv'],
    usage: 'inventory',
    help: 'Lists what you carry, and your coins.',
    run: (ctx) => {
      const items = carried(mud, ctx.player);
      ctx.reply(
        renderInventory(
          items.map((i) => i.name),
          characterOf(ctx.player).coins,
        ),
        items.map((i) => ({ id: i.carried.id, name: i.name })),
      );
    },
  });

  const get = defineCommand({
    name: 'get',
    aliases: ['take', 'pick'],
    usage: 'get <item> | get all',
    help: 'Picks up an item lying in the room ("get lantern", "get 2.coin", "get all").',
    run: (ctx, rest) => {
      const what = rest.replace(/^up\s+/, '');
      if (!what) throw new CommandError('Get what?');
      const room = roomOf(ctx);
      const here = itemsInRoom(mud.world, ctx.here, room).map((i) => ({
        ...i,
        name: i.def.name,
        keywords: i.def.keywords,
      }));
      const chosen =
        what === 'all'
          ? here.filter((i) => i.def.takeable)
          : [findTarget(what, here)].flatMap((x) => (x ? [x] : []));
      if (chosen.length === 0) {
        throw new CommandError(
          what === 'all' ? 'There is nothing here you can take.' : `You see no "${what}" here.`,
        );
      }
      const state = playerState(ctx.player);
      const taken: string[] = [];
      for (const item of chosen) {
        if (!item.def.takeable) throw new CommandError(`You cannot take ${item.def.name}.`);
        if (state.inventory.length >= MAX_CARRIED) {
          if (taken.length === 0) throw new CommandError('Your hands are full: drop something first.');
          break;
        }
        ctx.here.entities.delete(item.entity.id);
        const { home } = item.entity.data as unknown as ItemEntityData;
        // Its return is timed now, and saved with this very change (the zone is marked below).
        if (home !== undefined)
          startRespawnClock(ctx.here, home, item.def.id, ctx.now + mud.options.respawnSec * 1000);
        state.inventory.push({ id: item.entity.id, item: item.def.id });
        taken.push(item.def.name);
      }
      ctx.markDirty(ctx.here);
      ctx.markDirty(ctx.player);
      ctx.reply(`You take ${listJoin(taken)}.`);
      tellOthersInRoom(ctx, `${ctx.player.username} takes ${listJoin(taken)}.`);
      mud.refreshRoom(ctx, ctx.here, room);
    },
  });

  const drop = defineCommand({
    name: 'drop',
    usage: 'drop <item> | drop all',
    help: 'Puts down something you carry.',
    run: (ctx, what) => {
      if (!what) throw new CommandError('Drop what?');
      const room = roomOf(ctx);
      const held = carried(mud, ctx.player);
      const chosen = what === 'all' ? held : [findTarget(what, held)].flatMap((x) => (x ? [x] : []));
      if (chosen.length === 0)
        throw new CommandError(what === 'all' ? 'You carry nothing.' : `You carry no "${what}".`);
      const onFloor = itemsInRoom(mud.world, ctx.here, room).length;
      if (onFloor + chosen.length > MAX_FLOOR_ITEMS) {
        throw new CommandError(
          `There is no room to put ${chosen.length === 1 ? 'that' : 'all that'} down here.`,
        );
      }
      const state = playerState(ctx.player);
      for (const h of chosen) {
        state.inventory.splice(state.inventory.indexOf(h.carried), 1);
        const data: ItemEntityData = { item: h.def.id };
        const entity = { id: h.carried.id, kind: ITEM, room, data: data as never };
        ctx.here.entities.set(entity.id, entity);
        ctx.markDirty(entity);
      }
      ctx.markDirty(ctx.player);
      const names = listJoin(chosen.map((h) => h.name));
      ctx.reply(`You drop ${names}.`);
      tellOthersInRoom(ctx, `${ctx.player.username} drops ${names}.`);
      mud.refreshRoom(ctx, ctx.here, room);
    },
  });

  const give = defineCommand({
    name: 'give',
    aliases: ['hand'],
    usage: 'give <item> to <player>',
    help:
      'Hands something you carry to someone in the same room ("give lantern to Ann", or "give Ann lantern"). ' +
      'A person of the world takes only what one of your quests asks you to bring them.',
    parse: (rest) => {
      // "to" and a name of any number of words: "give mushroom to mother sedge".
      const to = /^(.+?)\s+to\s+(.+)$/i.exec(rest);
      if (to) return { item: to[1]!.trim(), to: to[2]! };
      const m = /^(\S+)\s+(.+)$/.exec(rest);
      if (!m) throw new CommandError('Give what to whom? Usage: give <item> to <player>');
      return { item: m[2]!.trim(), to: m[1]! };
    },
    run: (ctx, args) => {
      const room = roomOf(ctx);
      const me = ctx.player;
      const lower = args.to.toLowerCase();
      const others = [...playersToName(ctx, room, args.to)].filter((p) => p.username !== me.username);
      const target =
        others.find((p) => p.username.toLowerCase() === lower) ??
        others.find((p) => p.username.toLowerCase().startsWith(lower));
      let held = findTarget(args.item, carried(mud, me));
      let receiver = target;
      if (!target) {
        // "give ann lantern" when the words came the other way round.
        const swapped = [...playersToName(ctx, room, args.item)].find(
          (p) => p.username !== me.username && p.username.toLowerCase() === args.item.toLowerCase(),
        );
        const swappedItem = findTarget(args.to, carried(mud, me));
        if (swapped && swappedItem) {
          receiver = swapped;
          held = swappedItem;
        }
      }
      if (!receiver) {
        // Not a player: a person of the world, either way round ("give sedge mushroom").
        const npcs = npcTargets(mud, ctx, room);
        const npc = findTarget(args.to, npcs);
        const swapped = npc ? undefined : findTarget(args.item, npcs);
        const swappedItem = swapped && findTarget(args.to, carried(mud, me));
        if (swapped && swappedItem) return giveToNpc(mud, ctx, swapped, swappedItem);
        if (!npc) throw nobodyHere(mud, ctx, room, args.to);
        if (!held) throw carryNone(carried(mud, me), args.item);
        return giveToNpc(mud, ctx, npc, held);
      }
      if (!held) throw carryNone(carried(mud, me), args.item);
      const mine = playerState(me);
      const theirs = playerState(receiver);
      if (theirs.inventory.length >= MAX_CARRIED)
        throw new CommandError(`${receiver.username}'s hands are full.`);
      mine.inventory.splice(mine.inventory.indexOf(held.carried), 1);
      theirs.inventory.push(held.carried);
      ctx.markDirty(me);
      ctx.markDirty(receiver);
      ctx.reply(`You give ${held.name} to ${receiver.username}.`);
      ctx.sendTo(receiver, text(`${me.username} gives you ${held.name}.`, 'room'));
      // Onlookers only: the two of them have their own lines.
      ctx.toRoom(me.zone, room, text(`${me.username} gives ${held.name} to ${receiver.username}.`, 'room'), {
        except: [me.username, receiver.username],
      });
    },
  });

  return [inventory, get, drop, give];
}
