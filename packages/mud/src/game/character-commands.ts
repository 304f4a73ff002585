import { type CommandContext, CommandError, defineCommand } from '@leviathan/engine';
import { type CharacterState, characterOf, equipmentBySlot } from '../character/character-state.js';
import type { EquipmentSlot } from '../character/equipment-slots.js';
import { experienceToNextLevel } from '../character/progression.js';
import { armorOf, attackOf, maxEnergy, maxHealth } from '../character/stats.js';
import { findTarget } from '../commands/targets.js';
import { renderScoreQuests } from '../render/quest-text.js';
import { renderEquipment, renderScore } from '../render/score-text.js';
import { capitalize } from '../render/text.js';
import { opponentOf, theName } from './combat-state.js';
import { carried, MAX_CARRIED } from './item-commands.js';
import { type MudRuntime, tellOthersInRoom } from './mud-runtime.js';
import type { AnyCommand } from './mud-state.js';
import { playerState } from './mud-state.js';
import { journalOf } from './quest-progress.js';

/** Slot → the world name of what is in it, for the slots that hold something. */
function wornNames(mud: MudRuntime, c: CharacterState): Array<[EquipmentSlot, string]> {
  const out: Array<[EquipmentSlot, string]> = [];
  for (const [slot, worn] of equipmentBySlot(c)) {
    if (worn !== undefined) out.push([slot, mud.world.items.get(worn.item)?.name ?? worn.item]);
  }
  return out;
}

/**
 * Puts a carried item on: into its slot, out of the inventory. What was in that slot goes back to
 * the inventory (a swap, so nothing is ever lost between the two).
 */
function equip(mud: MudRuntime, ctx: CommandContext, what: string, verb: 'wield' | 'wear'): void {
  if (!what) throw new CommandError(verb === 'wield' ? 'Wield what?' : 'Wear what?');
  const held = findTarget(what, carried(mud, ctx.player));
  if (!held) throw new CommandError(`You carry no "${what}".`);
  const equipDef = held.def.equip;
  if (equipDef === undefined) throw new CommandError(`You cannot wear or wield ${held.name}.`);
  if (verb === 'wield' && equipDef.slot !== 'wield') {
    throw new CommandError(`${capitalize(held.name)} is not a weapon: "wear" it.`);
  }
  const c = characterOf(ctx.player);
  const inventory = playerState(ctx.player).inventory;
  const index = inventory.findIndex((i) => i.id === held.carried.id);
  if (index === -1) throw new CommandError(`You carry no "${what}".`);
  inventory.splice(index, 1);
  const before = c.equipment[equipDef.slot];
  if (before !== undefined) inventory.push(before);
  c.equipment[equipDef.slot] = held.carried;
  ctx.markDirty(ctx.player);
  const beforeName =
    before === undefined ? undefined : (mud.world.items.get(before.item)?.name ?? before.item);
  const swap = beforeName === undefined ? '' : ` and put away ${beforeName}`;
  const action = equipDef.slot === 'wield' ? 'wield' : 'wear';
  ctx.reply(`You ${action} ${held.name}${swap}.`, { slot: equipDef.slot, item: held.carried.id });
  tellOthersInRoom(ctx, `${ctx.player.username} ${action}s ${held.name}.`);
}

export function characterCommands(mud: MudRuntime): AnyCommand[] {
  const score = defineCommand({
    name: 'score',
    aliases: ['sc', 'stats'],
    usage: 'score',
    help: 'Shows your character: level, experience, health, energy, attributes, coins, what you wear, and your quests.',
    run: (ctx) => {
      const c = characterOf(ctx.player);
      const sheet = {
        name: ctx.player.username,
        level: c.level,
        xp: c.xp,
        toNext: experienceToNextLevel(c),
        health: c.health,
        maxHealth: maxHealth(c),
        energy: c.energy,
        maxEnergy: maxEnergy(c),
        ...c.attributes,
        attack: attackOf(c, mud.world),
        armor: armorOf(c, mud.world),
        worn: wornNames(mud, c),
        coins: c.coins,
      };
      const { worn, ...figures } = sheet;
      const quests = { active: journalOf(mud, ctx.player), done: c.quests.done.length };
      const questLines = renderScoreQuests(quests.active, quests.done).join('\n');
      const opponent = opponentOf(mud.world, ctx.here, ctx.player);
      const fight = opponent ? `\nYou are fighting ${theName(opponent.def.name)}.` : '';
      ctx.reply(`${renderScore(sheet)}\n${questLines}${fight}`, {
        ...figures,
        equipment: Object.fromEntries(worn),
        quests,
        fighting: opponent?.def.id ?? null,
      });
    },
  });
  const equipment = defineCommand({
    name: 'equipment',
    aliases: ['eq'],
    usage: 'equipment',
    help: 'Lists what you wear and wield.',
    run: (ctx) => {
      const worn = wornNames(mud, characterOf(ctx.player));
      ctx.reply(renderEquipment(worn), Object.fromEntries(worn));
    },
  });
  const wield = defineCommand({
    name: 'wield',
    usage: 'wield <weapon>',
    help: 'Takes a weapon you carry in hand ("wield axe"); the one you held goes back to your pack.',
    run: (ctx, what) => equip(mud, ctx, what, 'wield'),
  });
  const wear = defineCommand({
    name: 'wear',
    usage: 'wear <item>',
    help: 'Puts on something you carry ("wear oilskin"); what was in its place goes back to your pack.',
    run: (ctx, what) => equip(mud, ctx, what, 'wear'),
  });
  const remove = defineCommand({
    name: 'remove',
    aliases: ['unwield'],
    usage: 'remove <item>',
    help: 'Takes off something you wear or wield, back into your pack.',
    run: (ctx, what) => {
      if (!what) throw new CommandError('Remove what?');
      const c = characterOf(ctx.player);
      const worn = equipmentBySlot(c).flatMap(([slot, item]) => {
        const def = item === undefined ? undefined : mud.world.items.get(item.item);
        return item === undefined || def === undefined
          ? []
          : [{ slot, item, name: def.name, keywords: def.keywords }];
      });
      const chosen = findTarget(what, worn);
      if (!chosen) throw new CommandError(`You are not using any "${what}".`);
      const inventory = playerState(ctx.player).inventory;
      if (inventory.length >= MAX_CARRIED)
        throw new CommandError('Your hands are full: drop something first.');
      delete c.equipment[chosen.slot];
      inventory.push(chosen.item);
      ctx.markDirty(ctx.player);
      ctx.reply(`You stop using ${chosen.name}.`, { slot: chosen.slot, item: chosen.item.id });
      tellOthersInRoom(ctx, `${ctx.player.username} stops using ${chosen.name}.`);
    },
  });
  return [score, equipment, wield, wear, remove];
}
