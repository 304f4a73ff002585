import type { GameContext, Player } from '@leviathan/engine';
import { characterOf } from '../character/character-state.js';
import { gainExperience } from '../character/progression.js';
import type { QuestLog, QuestProgress } from '../character/quest-log.js';
import { coinsText } from '../render/money-text.js';
import { capitalize, listJoin } from '../render/text.js';
import type { WorldNpc, WorldQuest } from '../world/world-types.js';
import { MAX_CARRIED } from './item-commands.js';
import type { MudRuntime } from './mud-runtime.js';
import { type CarriedItem, playerState } from './mud-state.js';
import { sendVitals } from './vitals.js';

/**
 * Quests as they move: what talking to an NPC does, a kill counted, a step done, a quest done and
 * rewarded. Each function returns the lines to tell the player, and the caller sends them: as the
 * reply of a command (`talk`), or as text on the tick (a kill). Progress is in the character
 * (`character.quests`), so it is saved and travels across shards like the rest of it.
 */

/** The quests of the world a player has taken on, with their progress, in the order accepted. */
export function activeQuests(
  mud: MudRuntime,
  player: Player,
): Array<{ quest: WorldQuest; progress: QuestProgress }> {
  const log = characterOf(player).quests;
  const out: Array<{ quest: WorldQuest; progress: QuestProgress }> = [];
  for (const [id, progress] of Object.entries(log.active)) {
    const quest = mud.world.quests.get(id);
    if (quest) out.push({ quest, progress });
  }
  return out;
}

/** A quest in progress as the journal, `score` and GMCP's Char.Quests show it. */
// A type, not an interface: it goes into `data` as JSON, which wants an index signature.
export type JournalQuest = {
  id: string;
  title: string;
  /** The step being done, from 1, and how many there are. */
  step: number;
  steps: number;
  /** What is left to do: "kill a conger eel (0/1)". */
  todo: string;
};

/** The quests a player has in progress, for the journal, `score` and the `quests` event. */
export function journalOf(mud: MudRuntime, player: Player): JournalQuest[] {
  return activeQuests(mud, player).map(({ quest, progress }) => ({
    id: quest.id,
    title: quest.title,
    step: progress.step + 1,
    steps: quest.steps.length,
    todo: stepText(mud, quest, progress),
  }));
}

/**
 * Tells the player's client their journal changed: an `event` named `quests` (for connections
 * with the `events` capability; a telnet client gets it as GMCP `Char.Quests`) with the quests in
 * progress and how many are done. Sent on entering the game and after every change of the
 * journal (a quest taken, given up, a kill counted, a step done), each time whole.
 */
export function sendJournal(ctx: GameContext, mud: MudRuntime, player: Player): void {
  const data = { active: journalOf(mud, player), done: characterOf(player).quests.done.length };
  ctx.sendTo(player, { type: 'event', name: 'quests', data });
}

/**
 * Quests `npc` gives that the player has not taken on, and has not done, or did long enough
 * before `now` (ms since the epoch) for a repeatable one: its `repeat` since it was last done.
 */
export function offeredBy(mud: MudRuntime, player: Player, npc: WorldNpc, now: number): WorldQuest[] {
  const log = characterOf(player).quests;
  return [...mud.world.quests.values()].filter(
    (q) => q.giver === npc.id && log.active[q.id] === undefined && availableAgain(log, q, now),
  );
}

/** Never done; or repeatable, and its `repeat` has passed since it was last done. */
function availableAgain(log: QuestLog, quest: WorldQuest, now: number): boolean {
  if (!log.done.includes(quest.id)) return true;
  const again = offeredAgainAt(log, quest);
  return again !== undefined && now >= again;
}

/**
 * When a quest done is offered again (ms since the epoch): its `repeat` after it was last done;
 * undefined for a quest that is not repeatable.
 */
export function offeredAgainAt(log: QuestLog, quest: WorldQuest): number | undefined {
  if (quest.repeatSec === undefined) return undefined;
  // Done before the world made it repeatable: no time kept, so it is offered at once.
  return (log.lastDone?.[quest.id] ?? 0) + quest.repeatSec * 1000;
}

/** What is left to do of a quest, for the journal: "kill a conger eel (0/1)". */
export function stepText(mud: MudRuntime, quest: WorldQuest, progress: QuestProgress): string {
  const step = quest.steps[progress.step];
  if (!step) return 'nothing more';
  const npc = mud.world.npcs.get(step.npc)?.name ?? step.npc;
  if (step.kind === 'talk') return `talk to ${npc}`;
  if (step.kind === 'fetch') return `bring ${mud.world.items.get(step.item)?.name ?? step.item} to ${npc}`;
  return `kill ${npc} (${progress.kills}/${step.count})`;
}

/**
 * The player talks to `npc`: every quest whose step is to talk to it, or to bring it something the
 * player carries, moves on; otherwise it offers its quests; otherwise it reminds the player of the
 * quests it gave; otherwise it greets, or has nothing to say.
 */
export function talkTo(ctx: GameContext, mud: MudRuntime, player: Player, npc: WorldNpc): string[] {
  const lines: string[] = [];
  const name = capitalize(npc.name);
  for (const { quest, progress } of activeQuests(mud, player)) {
    const step = quest.steps[progress.step];
    if (!step || step.kind === 'kill' || step.npc !== npc.id) continue;
    if (step.kind === 'fetch') {
      const carried = playerState(player).inventory.find((i) => i.item === step.item);
      if (carried === undefined) {
        const item = mud.world.items.get(step.item)?.name ?? step.item;
        lines.push(`${name} is waiting for ${item}. (${quest.title})`);
      } else {
        lines.push(...handOver(ctx, mud, player, npc, carried, { quest, progress }, step.say));
      }
      continue;
    }
    lines.push(step.say ?? `${name} hears you out.`);
    lines.push(...stepDone(ctx, mud, player, quest, progress));
  }
  if (lines.length > 0) return lines;
  for (const quest of offeredBy(mud, player, npc, ctx.now)) {
    lines.push(quest.offer, `[Quest: ${quest.title}] Type "accept ${quest.id}" to take it on.`);
  }
  if (lines.length > 0) return lines;
  for (const { quest, progress } of activeQuests(mud, player)) {
    if (quest.giver === npc.id)
      lines.push(`${name} reminds you: ${quest.title}: ${stepText(mud, quest, progress)}.`);
  }
  if (lines.length > 0) return lines;
  return [npc.greet ?? `${name} has nothing to say to you.`];
}

/**
 * The player gives `npc` the carried item `given` (`give <item> to <npc>`): when a quest of theirs
 * has a fetch step of that item for that NPC, it takes it and the step is done (as when the player
 * `talk`s to it carrying the item), and these are the lines to tell; otherwise undefined, and the
 * item stays where it was. One item completes one step.
 */
export function giveTo(
  ctx: GameContext,
  mud: MudRuntime,
  player: Player,
  npc: WorldNpc,
  given: CarriedItem,
): string[] | undefined {
  for (const active of activeQuests(mud, player)) {
    const step = active.quest.steps[active.progress.step];
    if (step?.kind !== 'fetch' || step.npc !== npc.id || step.item !== given.item) continue;
    return handOver(ctx, mud, player, npc, given, active, step.say);
  }
  return undefined;
}

/**
 * A fetch step done: `given` leaves the pack for `npc`, which answers, and the quest moves on. The
 * one place a fetch step is done, for `talk` and `give` alike.
 */
function handOver(
  ctx: GameContext,
  mud: MudRuntime,
  player: Player,
  npc: WorldNpc,
  given: CarriedItem,
  { quest, progress }: { quest: WorldQuest; progress: QuestProgress },
  say: string | undefined,
): string[] {
  const inventory = playerState(player).inventory;
  inventory.splice(inventory.indexOf(given), 1);
  const item = mud.world.items.get(given.item)?.name ?? given.item;
  return [
    `You give ${item} to ${npc.name}.`,
    say ?? `${capitalize(npc.name)} hears you out.`,
    ...stepDone(ctx, mud, player, quest, progress),
  ];
}

/**
 * `killer` shared in the death of an NPC of id `npc` (it damaged it and was there when it died,
 * see combat-experience.ts): every quest whose step is to kill it counts one, and moves on when
 * the count is reached.
 */
export function countKill(ctx: GameContext, mud: MudRuntime, killer: Player, npc: string): string[] {
  const lines: string[] = [];
  for (const { quest, progress } of activeQuests(mud, killer)) {
    const step = quest.steps[progress.step];
    if (step?.kind !== 'kill' || step.npc !== npc) continue;
    progress.kills++;
    ctx.markDirty(killer);
    lines.push(`${quest.title}: ${stepText(mud, quest, progress)}.`);
    if (progress.kills >= step.count) lines.push(...stepDone(ctx, mud, killer, quest, progress));
    else sendJournal(ctx, mud, killer);
  }
  return lines;
}

/** The current step of a quest is done: on to the next, or the quest is done and rewarded. */
function stepDone(
  ctx: GameContext,
  mud: MudRuntime,
  player: Player,
  quest: WorldQuest,
  progress: QuestProgress,
): string[] {
  progress.step++;
  progress.kills = 0;
  ctx.markDirty(player);
  if (progress.step < quest.steps.length) {
    sendJournal(ctx, mud, player);
    return [`${quest.title}: now ${stepText(mud, quest, progress)}.`];
  }
  const c = characterOf(player);
  delete c.quests.active[quest.id];
  if (!c.quests.done.includes(quest.id)) c.quests.done.push(quest.id);
  // A repeatable quest remembers when it was done: its giver offers it again `repeat` later.
  // Whole milliseconds: the tick's time may have a fraction, and the log keeps whole numbers.
  if (quest.repeatSec !== undefined)
    c.quests.lastDone = { ...c.quests.lastDone, [quest.id]: Math.floor(ctx.now) };
  sendJournal(ctx, mud, player);
  return [`Quest complete: ${quest.title}!`, ...reward(ctx, mud, player, quest)];
}

/** A quest's reward: experience (levels as in a fight), coins, an item in the pack (or at the feet). */
function reward(ctx: GameContext, mud: MudRuntime, player: Player, quest: WorldQuest): string[] {
  const { xp, coins, item } = quest.reward;
  const c = characterOf(player);
  const lines: string[] = [];
  const gains: string[] = [];
  if (xp > 0) gains.push(`${xp} experience`);
  if (coins > 0) gains.push(coinsText(coins));
  if (gains.length > 0) lines.push(`You gain ${listJoin(gains)}.`);
  c.coins += coins;
  const levels = gainExperience(c, xp);
  if (levels > 0) lines.push(`You are now level ${c.level}! You feel stronger, and whole again.`);
  const def = item === undefined ? undefined : mud.world.items.get(item);
  if (def) {
    const inventory = playerState(player).inventory;
    const zone = ctx.zone(player.zone);
    if (inventory.length < MAX_CARRIED || !zone || player.room === undefined) {
      inventory.push({ id: mud.newItemId(player.zone), item: def.id });
      lines.push(`You receive ${def.name}.`);
    } else {
      // Hands full: the reward is not lost, it waits on the floor.
      mud.spawnItem(zone, player.room, def.id, false);
      ctx.markDirty(zone);
      mud.refreshRoom(ctx, zone, player.room);
      lines.push(`Your hands are full: ${def.name} falls at your feet.`);
    }
  }
  ctx.markDirty(player);
  if (xp > 0) sendVitals(ctx, player);
  return lines;
}
