import { type CommandContext, CommandError } from '@leviathan/engine';
import { closestWord } from '../commands/did-you-mean.js';
import { capitalize } from '../render/text.js';
import { playersToName } from './crowd.js';
import type { Held } from './item-commands.js';
import { type MudRuntime, tellOthersInRoom } from './mud-runtime.js';
import { npcsInRoom, type RoomNpc } from './mud-state.js';
import { giveTo } from './quest-progress.js';

/** The NPCs of a room as targets of a command, by their names and keywords. */
export function npcTargets(mud: MudRuntime, ctx: CommandContext, room: string) {
  return npcsInRoom(mud.world, ctx.here, room).map((n: RoomNpc) => ({
    ...n,
    name: n.def.name,
    keywords: n.def.keywords,
  }));
}

/**
 * `give <item> to <npc>`: an NPC takes an item only for a quest step that asks for it (a fetch
 * step, done as `talk` does it: quest-progress.ts); otherwise it refuses, kindly, and the item stays
 * with the player. Refusing is an error reply: nothing changed.
 */
export function giveToNpc(mud: MudRuntime, ctx: CommandContext, npc: RoomNpc, held: Held): void {
  const lines = giveTo(ctx, mud, ctx.player, npc.def, held.carried);
  if (lines === undefined) {
    throw new CommandError(
      `${capitalize(npc.def.name)} shakes their head: "Thank you, but keep ${held.name}; I have no need of it."`,
    );
  }
  ctx.reply(lines.join('\n'), { npc: npc.def.id, item: held.carried.id });
  tellOthersInRoom(ctx, `${ctx.player.username} gives ${held.name} to ${npc.def.name}.`);
}

/** "There is nobody called "sedj" here (did you mean sedge?).": the closest name in the room. */
export function nobodyHere(mud: MudRuntime, ctx: CommandContext, room: string, who: string): CommandError {
  const names = [
    ...npcTargets(mud, ctx, room).flatMap((n) => n.keywords),
    ...[...playersToName(ctx, room, who)]
      .filter((p) => p.username !== ctx.player.username)
      .map((p) => p.username),
  ];
  const hint = closestWord(who.toLowerCase(), names);
  return new CommandError(`There is nobody called "${who}" here${hint ? ` (did you mean ${hint}?)` : ''}.`);
}

/** "You carry no "mushrom" (did you mean mushroom?).": the closest word of what the player carries. */
export function carryNone(items: readonly Held[], what: string): CommandError {
  const hint = closestWord(
    what.toLowerCase(),
    items.flatMap((h) => h.keywords),
  );
  return new CommandError(`You carry no "${what}"${hint ? ` (did you mean ${hint}?)` : ''}.`);
}
