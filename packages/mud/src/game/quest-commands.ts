import { type CommandContext, CommandError, defineCommand } from '@leviathan/engine';
import { characterOf } from '../character/character-state.js';
import type { QuestLog } from '../character/quest-log.js';
import { findTarget } from '../commands/targets.js';
import { type DoneEntry, renderJournal } from '../render/quest-text.js';
import type { WorldQuest } from '../world/world-types.js';
import { type MudRuntime, tellOthersInRoom } from './mud-runtime.js';
import { type AnyCommand, npcsInRoom, type RoomNpc } from './mud-state.js';
import {
  activeQuests,
  journalOf,
  offeredAgainAt,
  offeredBy,
  sendJournal,
  stepText,
  talkTo,
} from './quest-progress.js';

/** The NPC in the player's room that `what` names. */
function npcHere(mud: MudRuntime, ctx: CommandContext, what: string): RoomNpc {
  const room = ctx.player.room;
  if (room === undefined) throw new CommandError('You are nowhere.');
  const npcs = npcsInRoom(mud.world, ctx.here, room).map((n) => ({
    ...n,
    name: n.def.name,
    keywords: n.def.keywords,
  }));
  const npc = findTarget(what, npcs);
  if (!npc) throw new CommandError(`You see no "${what}" here to talk to.`);
  return npc;
}

/** A quest as a target of `accept` and `abandon`: by its id or the words of its title. */
function asTarget(quest: WorldQuest) {
  return { quest, name: quest.title, keywords: [quest.id] };
}

/** A quest done, for the journal: a repeatable one with when it was done and is offered again. */
function doneEntry(log: QuestLog, quest: WorldQuest, now: number): DoneEntry {
  const entry: DoneEntry = { id: quest.id, title: quest.title };
  const again = offeredAgainAt(log, quest);
  if (again === undefined) return entry;
  const lastDone = log.lastDone?.[quest.id];
  if (lastDone !== undefined) entry.lastDone = lastDone;
  entry.againInSec = Math.max(0, Math.ceil((again - now) / 1000));
  return entry;
}

export function questCommands(mud: MudRuntime): AnyCommand[] {
  const talk = defineCommand({
    name: 'talk',
    usage: 'talk <person>',
    help: 'Talks to someone here. They may offer a quest, or move one of yours on (bring them what they asked for).',
    run: (ctx, what) => {
      if (!what) throw new CommandError('Talk to whom?');
      const npc = npcHere(mud, ctx, what.replace(/^to\s+/i, ''));
      const lines = talkTo(ctx, mud, ctx.player, npc.def);
      ctx.reply(lines.join('\n'), { npc: npc.def.id });
      tellOthersInRoom(ctx, `${ctx.player.username} talks to ${npc.def.name}.`);
    },
  });

  const accept = defineCommand({
    name: 'accept',
    usage: 'accept [quest]',
    help: 'Takes on a quest offered by someone here ("accept" alone when there is only one).',
    run: (ctx, what) => {
      const room = ctx.player.room;
      if (room === undefined) throw new CommandError('You are nowhere.');
      const offers = npcsInRoom(mud.world, ctx.here, room).flatMap((n) =>
        offeredBy(mud, ctx.player, n.def, ctx.now).map(asTarget),
      );
      if (offers.length === 0) throw new CommandError('Nobody here has a quest for you.');
      const chosen = what ? findTarget(what, offers) : offers.length === 1 ? offers[0] : undefined;
      if (!chosen) {
        const ids = offers.map((o) => `"accept ${o.quest.id}"`).join(' or ');
        throw new CommandError(
          what ? `Nobody here offers "${what}": type ${ids}.` : `Which one? Type ${ids}.`,
        );
      }
      const { quest } = chosen;
      const c = characterOf(ctx.player);
      c.quests.active[quest.id] = { step: 0, kills: 0 };
      ctx.markDirty(ctx.player);
      sendJournal(ctx, mud, ctx.player);
      const giver = mud.world.npcs.get(quest.giver)?.name ?? quest.giver;
      ctx.reply(
        `You take on ${quest.title} for ${giver}.\nFirst, ${stepText(mud, quest, c.quests.active[quest.id]!)}.`,
        { quest: quest.id },
      );
    },
  });

  const quests = defineCommand({
    name: 'quests',
    aliases: ['journal'],
    usage: 'quests',
    help: 'Your quest journal: what you have taken on, how far you are, and what you have done.',
    run: (ctx) => {
      const active = journalOf(mud, ctx.player);
      const log = characterOf(ctx.player).quests;
      const done = log.done
        .map((id) => mud.world.quests.get(id))
        .filter((q): q is WorldQuest => q !== undefined)
        .map((q) => doneEntry(log, q, ctx.now));
      ctx.reply(renderJournal(active, done, ctx.now), { active, done });
    },
  });

  const abandon = defineCommand({
    name: 'abandon',
    usage: 'abandon <quest>',
    help: 'Gives up a quest you have taken on; its giver will offer it again, from the start.',
    run: (ctx, what) => {
      if (!what) throw new CommandError('Abandon which quest? Type "quests" for your journal.');
      const chosen = findTarget(
        what,
        activeQuests(mud, ctx.player).map(({ quest }) => asTarget(quest)),
      );
      if (!chosen) throw new CommandError(`You have no quest "${what}". Type "quests" for your journal.`);
      delete characterOf(ctx.player).quests.active[chosen.quest.id];
      ctx.markDirty(ctx.player);
      sendJournal(ctx, mud, ctx.player);
      ctx.reply(`You abandon ${chosen.quest.title}.`, { quest: chosen.quest.id });
    },
  });

  return [talk, accept, quests, abandon];
}
