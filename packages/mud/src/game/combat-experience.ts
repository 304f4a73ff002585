import type { GameContext, Player, Zone } from '@leviathan/engine';
import { characterOf } from '../character/character-state.js';
import { gainExperience } from '../character/progression.js';
import { type Combatant, fightingRaw } from './combat-state.js';
import { text } from './mud-runtime.js';
import { sendVitals } from './vitals.js';

/**
 * Experience shared by everyone who fought an NPC. Each blow that lands adds its damage (as the
 * player was told it: "You hit the conger eel (4)") to the NPC's `damage` record, in its entity
 * data: it persists with the entity and survives a shard restart like the rest of the fight. The
 * record is dropped when the NPC dies, respawns, flees, or nobody fights it any more.
 */

/** Adds a landed blow of `player` to the NPC's record of who hurt it, and by how much. */
export function recordDamage(npc: Combatant, player: string, damage: number): void {
  const record = npc.data.damage ?? {};
  npc.data.damage = record;
  record[player] = (record[player] ?? 0) + damage;
}

/**
 * The NPC's `xp` split between those who damaged it, in proportion to the damage each dealt:
 * each share rounded down, and what rounding leaves over goes to the killer, so the shares add
 * up to `xp` exactly. Only `damage` entries of players in `present` count (those who left the
 * room before the end share nothing, and do not shrink the others' shares).
 */
export function experienceShares(
  xp: number,
  damage: Readonly<Record<string, number>>,
  present: ReadonlySet<string>,
  killer: string,
): Map<string, number> {
  const fought = Object.entries(damage).filter(([name, dealt]) => present.has(name) && dealt > 0);
  const total = fought.reduce((sum, [, dealt]) => sum + dealt, 0);
  const shares = new Map<string, number>();
  if (total === 0) {
    // The killing blow is always recorded; this guards a record lost to a world edit.
    shares.set(killer, xp);
    return shares;
  }
  let given = 0;
  for (const [name, dealt] of fought) {
    const share = Math.floor((xp * dealt) / total);
    shares.set(name, share);
    given += share;
  }
  shares.set(killer, (shares.get(killer) ?? 0) + xp - given);
  return shares;
}

/**
 * The players of the NPC's room who damaged it, with their share of its experience (see
 * `experienceShares`). Call before the NPC leaves its room.
 */
export function sharesAtDeath(
  ctx: GameContext,
  zone: Zone,
  npc: Combatant,
  killer: Player,
): Array<[Player, number]> {
  const room = npc.entity.room;
  // Those who hurt it, looked up by name: a crowded room is never scanned for a death.
  const here = new Map<string, Player>([[killer.username, killer]]);
  for (const name of Object.keys(npc.data.damage ?? {})) {
    const p = ctx.findPlayer(name);
    if (p !== undefined && p.zone === zone.id && p.room === room) here.set(name, p);
  }
  const shares = experienceShares(
    npc.def.combat.xp,
    npc.data.damage ?? {},
    new Set(here.keys()),
    killer.username,
  );
  return [...shares].flatMap(([name, xp]) => {
    const player = here.get(name);
    return player ? [[player, xp] as [Player, number]] : [];
  });
}

/**
 * Gives a player experience won in a fight and tells them; a level gained is told and refills
 * their bars (the one path for a lone kill and a shared one).
 */
export function awardFightExperience(ctx: GameContext, player: Player, xp: number): void {
  const c = characterOf(player);
  const levels = gainExperience(c, xp);
  ctx.markDirty(player);
  ctx.sendTo(player, text(`You gain ${xp} experience.`, 'combat'));
  if (levels > 0) {
    ctx.sendTo(player, text(`You are now level ${c.level}! You feel stronger, and whole again.`, 'combat'));
  }
  sendVitals(ctx, player);
}

/** True while a player in the NPC's room still fights it: its fight has not ended. */
export function stillFought(zone: Zone, npc: Combatant): boolean {
  const room = npc.entity.room;
  if (room === undefined) return false;
  for (const p of zone.occupants(room)) if (fightingRaw(p) === npc.entity.id) return true;
  return false;
}
