import { type CommandContext, CommandError, defineCommand } from '@leviathan/engine';
import { characterOf } from '../character/character-state.js';
import { considerLevels, FLEE_CHANCE } from '../character/combat-round.js';
import { findTarget } from '../commands/targets.js';
import { capitalize } from '../render/text.js';
import { combatantOf, opponentOf, theName, toRoomExcept } from './combat-state.js';
import { walk } from './movement-commands.js';
import type { MudRuntime } from './mud-runtime.js';
import { type AnyCommand, npcsInRoom, type RoomNpc, roomId } from './mud-state.js';

/** The NPC of the player's room that `what` names, or a CommandError saying why not. */
function npcHere(mud: MudRuntime, ctx: CommandContext, what: string, verb: string): RoomNpc {
  if (!what) throw new CommandError(`${capitalize(verb)} whom?`);
  const room = ctx.player.room;
  const here = room === undefined ? [] : npcsInRoom(mud.world, ctx.here, room);
  const npc = findTarget(
    what,
    here.map((n) => ({ ...n, name: n.def.name, keywords: n.def.keywords })),
  );
  if (!npc) throw new CommandError(`You see no "${what}" here.`);
  return npc;
}

export function combatCommands(mud: MudRuntime): AnyCommand[] {
  const kill = defineCommand({
    name: 'kill',
    aliases: ['attack'],
    usage: 'kill <creature>',
    help: 'Starts a fight with a creature in the room. Blows are traded every round until one of you dies or flees.',
    run: (ctx, what) => {
      const found = npcHere(mud, ctx, what, 'kill');
      const npc = combatantOf(mud.world, ctx.here, found.entity.id);
      if (!npc) throw new CommandError(`You cannot attack ${theName(found.def.name)}.`);
      const c = characterOf(ctx.player);
      const current = opponentOf(mud.world, ctx.here, ctx.player);
      const name = theName(npc.def.name);
      if (current) throw new CommandError(`You are already fighting ${theName(current.def.name)}.`);
      c.fighting = npc.entity.id;
      if (npc.data.target === undefined) npc.data.target = ctx.player.username;
      ctx.markDirty(ctx.player);
      ctx.markDirty(found.entity);
      ctx.reply(`You attack ${name}!`, { fighting: npc.entity.id, npc: npc.def.id });
      toRoomExcept(
        ctx,
        mud,
        ctx.player.zone,
        ctx.player.room!,
        `${ctx.player.username} attacks ${name}!`,
        ctx.player.username,
      );
    },
  });

  const consider = defineCommand({
    name: 'consider',
    aliases: ['con'],
    usage: 'consider <creature>',
    help: 'Sizes up a creature before a fight: how its level compares with yours.',
    run: (ctx, what) => {
      const found = npcHere(mud, ctx, what, 'consider');
      const combat = found.def.combat;
      const name = capitalize(theName(found.def.name));
      if (!combat) {
        ctx.reply(`${name} is not one to fight.`, { npc: found.def.id, fights: false });
        return;
      }
      const words = considerLevels(characterOf(ctx.player).level, combat.level);
      ctx.reply(`${name} ${words}.`, { npc: found.def.id, fights: true, level: combat.level });
    },
  });

  const flee = defineCommand({
    name: 'flee',
    usage: 'flee',
    help: 'Runs from a fight through a random exit. It may fail, and then the fight goes on.',
    run: (ctx) => {
      const npc = opponentOf(mud.world, ctx.here, ctx.player);
      if (!npc) throw new CommandError('You are not fighting anyone.');
      const name = theName(npc.def.name);
      const exits = mud.world.rooms.get(roomId(ctx.player.zone, ctx.player.room))?.exits ?? [];
      if (exits.length === 0) throw new CommandError('There is nowhere to flee to!');
      if (mud.random() >= FLEE_CHANCE) {
        ctx.reply(`You try to flee, but ${name} blocks your way!`, { fled: false });
        toRoomExcept(
          ctx,
          mud,
          ctx.player.zone,
          ctx.player.room!,
          `${ctx.player.username} tries to flee, and fails.`,
          ctx.player.username,
        );
        return;
      }
      const exit = exits[Math.floor(mud.random() * exits.length)]!;
      delete characterOf(ctx.player).fighting;
      if (npc.data.target === ctx.player.username) delete npc.data.target;
      ctx.markDirty(ctx.player);
      ctx.markDirty(npc.entity);
      ctx.reply(`You flee ${exit.direction}!`, { fled: true, direction: exit.direction });
      walk(ctx, mud, exit.direction);
    },
  });

  return [kill, consider, flee];
}
