import type { GameContext, Player, SystemDefinition, Zone } from '@leviathan/engine';
import { characterOf } from '../character/character-state.js';
import { regenAmount, swing } from '../character/combat-round.js';
import { maxEnergy, maxHealth } from '../character/stats.js';
import { capitalize } from '../render/text.js';
import type { Direction } from '../world/world-types.js';
import { decayCorpses, npcDies, playerDies, respawnNpcs } from './combat-deaths.js';
import { recordDamage, stillFought } from './combat-experience.js';
import {
  type Combatant,
  combatantOf,
  fightingRaw,
  npcFighter,
  npcHealth,
  opponentOf,
  playerFighter,
  theName,
  toRoomExcept,
} from './combat-state.js';
import { arrivalLine } from './movement-commands.js';
import { type MudRuntime, splitLocal, text } from './mud-runtime.js';
import { NPC, type NpcEntityData, roomId } from './mud-state.js';
import { sendVitals } from './vitals.js';

/**
 * Fights, on the tick. Every fighter, player or NPC, swings on a clock of its own: a round after
 * its fight starts (or after the shard first sees it fight), then every `combatRoundSec`; a hurt
 * NPC whose world entry says so may run instead. Aggressive NPCs pick a player in their room
 * every `combatRoundSec`. Runs on each shard for its own zones.
 *
 * Own clocks rather than one round for the whole shard: with one round, every fight of a shard
 * landed in the same tick, every `combatRoundSec`, and that tick was the shard's slowest by far
 * (`pnpm bench mud` at 5,000 players: the combat system alone took 43-47 ms of the fight shard's
 * slowest ticks, in its CPU profile). Fights start at scattered times, so their swings spread over
 * the ticks of a round. The clocks live in memory: after a shard restart each fight swings a
 * round after the shard comes back.
 */
export function combatSystem(mud: MudRuntime): SystemDefinition {
  /** When each fighter (a Player or an NPC's Entity) swings next, in ms since the epoch. */
  const nextSwingAt = new WeakMap<object, number>();
  const due = (fighter: object, now: number, roundMs: number): boolean => {
    const at = nextSwingAt.get(fighter);
    if (at === undefined) {
      // A fight this shard has not seen swing yet: its first swing a round from now.
      nextSwingAt.set(fighter, now + roundMs);
      return false;
    }
    if (now < at) return false;
    // On time: the next swing a round after this one was due (no drift); after a long stall,
    // a round from now.
    nextSwingAt.set(fighter, now - at < roundMs ? at + roundMs : now + roundMs);
    return true;
  };
  return {
    name: 'mud-combat',
    run: (ctx) => {
      const now = ctx.now;
      const roundMs = mud.options.combatRoundSec * 1000;
      const aggressionDue = now >= mud.nextCombatRoundAt;
      if (aggressionDue) mud.nextCombatRoundAt = now + roundMs;
      for (const zone of ctx.zones.values()) {
        if (aggressionDue) aggression(ctx, mud, zone);
        // Collected first: a round may move a player (death) or change who fights.
        const swinging: Player[] = [];
        for (const player of zone.players()) {
          if (fightingRaw(player) === undefined) nextSwingAt.delete(player);
          else if (due(player, now, roundMs)) swinging.push(player);
        }
        for (const player of swinging) playerRound(ctx, mud, zone, player);
        const striking: Combatant[] = [];
        for (const entity of zone.entities.values()) {
          if (entity.kind !== NPC) continue;
          // Most NPCs (and every item) fight nobody: the raw target first, the full look after.
          if ((entity.data as unknown as NpcEntityData).target === undefined) {
            nextSwingAt.delete(entity);
            continue;
          }
          if (!due(entity, now, roundMs)) continue;
          const npc = combatantOf(mud.world, zone, entity.id);
          if (npc !== undefined) striking.push(npc);
        }
        for (const npc of striking) if (npc.data.target !== undefined) npcRound(ctx, mud, zone, npc);
      }
      // Every tick: the lines of this tick's fight commands (kill, flee) too, which ran before.
      mud.fightChatter.flush(ctx);
    },
  };
}

/** Aggressive NPCs with nobody to fight attack the first player in their room. */
function aggression(ctx: GameContext, mud: MudRuntime, zone: Zone): void {
  for (const entity of zone.entities.values()) {
    if (entity.kind !== NPC) continue;
    const npc = combatantOf(mud.world, zone, entity.id);
    if (!npc?.def.combat.aggressive || npc.data.target !== undefined) continue;
    const [victim] = zone.occupants(entity.room!);
    if (victim === undefined) continue;
    npc.data.target = victim.username;
    ctx.markDirty(entity);
    // Attacked, a player fights back at once (and can flee at once).
    const c = characterOf(victim);
    if (c.fighting === undefined) {
      c.fighting = entity.id;
      ctx.markDirty(victim);
    }
    const name = capitalize(theName(npc.def.name));
    ctx.sendTo(victim, text(`${name} attacks you!`, 'combat'));
    toRoomExcept(ctx, mud, zone.id, entity.room!, `${name} attacks ${victim.username}!`, victim.username);
  }
}

function playerRound(ctx: GameContext, mud: MudRuntime, zone: Zone, player: Player): void {
  // The caller picked players who fight; an earlier swing of this round may have ended it.
  const c = characterOf(player);
  if (c.fighting === undefined) return;
  const npc = opponentOf(mud.world, zone, player);
  if (!npc) {
    // It died, fled or was left behind: the fight is over without a word.
    delete c.fighting;
    ctx.markDirty(player);
    return;
  }
  const room = player.room!;
  const name = theName(npc.def.name);
  const damage = swing(playerFighter(mud.world, player), npcFighter(npc), mud.random);
  if (npc.data.target === undefined) npc.data.target = player.username;
  if (damage === 0) {
    ctx.sendTo(player, text(`You miss ${name}.`, 'combat'));
    toRoomExcept(ctx, mud, zone.id, room, `${player.username} misses ${name}.`, player.username);
    ctx.markDirty(npc.entity);
    return;
  }
  const health = npcHealth(npc) - damage;
  recordDamage(npc, player.username, damage);
  ctx.sendTo(player, text(`You hit ${name} (${damage}).`, 'combat'));
  toRoomExcept(ctx, mud, zone.id, room, `${player.username} hits ${name}.`, player.username);
  if (health <= 0) {
    npcDies(ctx, mud, zone, npc, player);
    return;
  }
  npc.data.health = health;
  ctx.markDirty(npc.entity);
}

function npcRound(ctx: GameContext, mud: MudRuntime, zone: Zone, npc: Combatant): void {
  const room = npc.entity.room!;
  const target = ctx.findPlayer(npc.data.target!);
  if (!target || target.zone !== zone.id || target.room !== room) {
    delete npc.data.target;
    ctx.markDirty(npc.entity);
    return;
  }
  const { flee } = npc.def.combat;
  if (flee > 0 && npcHealth(npc) <= flee && mud.random() < 0.5 && npcFlees(ctx, mud, zone, npc)) return;
  const c = characterOf(target);
  // Attacked, a player fights back without being told to.
  if (c.fighting === undefined) c.fighting = npc.entity.id;
  const name = capitalize(theName(npc.def.name));
  const damage = swing(npcFighter(npc), playerFighter(mud.world, target), mud.random);
  ctx.markDirty(target);
  if (damage === 0) {
    ctx.sendTo(target, text(`${name} misses you.`, 'combat'));
    toRoomExcept(ctx, mud, zone.id, room, `${name} misses ${target.username}.`, target.username);
    return;
  }
  c.health = Math.max(0, c.health - damage);
  ctx.sendTo(target, text(`${name} hits you (${damage}).`, 'combat'));
  toRoomExcept(ctx, mud, zone.id, room, `${name} hits ${target.username}.`, target.username);
  sendVitals(ctx, target);
  if (c.health === 0) playerDies(ctx, mud, zone, npc, target);
}

/** A hurt NPC runs through a random exit of its own zone; false when there is none. */
function npcFlees(ctx: GameContext, mud: MudRuntime, zone: Zone, npc: Combatant): boolean {
  const from = npc.entity.room!;
  const exits = mud.world.rooms
    .get(roomId(zone.id, from))
    ?.exits.filter((e) => e.to.startsWith(`${zone.id}:`));
  if (!exits || exits.length === 0) return false;
  const exit = exits[Math.floor(mud.random() * exits.length)]!;
  const name = capitalize(theName(npc.def.name));
  delete npc.data.target;
  // Out of reach, the fight is over: whoever hurt it before it ran shares nothing of it later.
  delete npc.data.damage;
  mud.presence(ctx, zone.id, from, 'depart', npc.def.name, 'npc', `${name} flees ${exit.direction}`, {
    direction: exit.direction,
  });
  npc.entity.room = splitLocal(exit.to);
  ctx.markDirty(npc.entity);
  const arrive = arrivalLine(capitalize(npc.def.name), { dir: exit.direction as Direction });
  mud.presence(ctx, zone.id, npc.entity.room, 'arrive', npc.def.name, 'npc', arrive.line, {
    direction: arrive.direction,
  });
  return true;
}

/**
 * Healing out of combat, every `regenSec`: players regain a tenth of their health and energy,
 * NPCs that fight nobody a tenth of their health; dead NPCs whose time has come respawn, and
 * corpses crumble.
 */
export function regenSystem(mud: MudRuntime): SystemDefinition {
  return {
    name: 'mud-regen',
    run: (ctx) => {
      if (ctx.now < mud.nextRegenAt) return;
      mud.nextRegenAt = ctx.now + mud.options.regenSec * 1000;
      for (const zone of ctx.zones.values()) {
        for (const player of zone.players()) {
          const c = characterOf(player);
          if (c.fighting !== undefined) continue;
          const [health, energy] = [maxHealth(c), maxEnergy(c)];
          if (c.health >= health && c.energy >= energy) continue;
          c.health = Math.min(health, c.health + regenAmount(health));
          c.energy = Math.min(energy, c.energy + regenAmount(energy));
          ctx.markDirty(player);
          sendVitals(ctx, player);
        }
        for (const entity of zone.entities.values()) {
          if (entity.kind !== NPC) continue;
          const npc = combatantOf(mud.world, zone, entity.id);
          if (!npc || npc.data.target !== undefined) continue;
          if (npc.data.damage !== undefined && !stillFought(zone, npc)) {
            // Nobody fights it any more: the fight is over, and so is its record of who hurt it.
            delete npc.data.damage;
            ctx.markDirty(entity);
          }
          if (npc.data.health === undefined) continue;
          const health = npc.data.health + regenAmount(npc.def.combat.health);
          if (health >= npc.def.combat.health) delete npc.data.health;
          else npc.data.health = health;
          ctx.markDirty(entity);
        }
        respawnNpcs(ctx, mud, zone);
        decayCorpses(ctx, mud, zone);
      }
    },
  };
}
