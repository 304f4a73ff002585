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
  npcFighter,
  npcHealth,
  opponentOf,
  playerFighter,
  theName,
  toRoomExcept,
} from './combat-state.js';
import { arrivalLine } from './movement-commands.js';
import { type MudRuntime, splitLocal, text } from './mud-runtime.js';
import { NPC, roomId } from './mud-state.js';
import { sendVitals } from './vitals.js';

/**
 * Fights, on the tick: every `combatRoundSec`, aggressive NPCs pick a player in their room, then
 * every player who fights swings at their NPC, then every NPC that fights swings back (or runs,
 * when it is hurt enough and its world entry says so). Runs on each shard for its own zones.
 */
export function combatSystem(mud: MudRuntime): SystemDefinition {
  return {
    name: 'mud-combat',
    run: (ctx) => {
      if (ctx.now < mud.nextCombatRoundAt) return;
      mud.nextCombatRoundAt = ctx.now + mud.options.combatRoundSec * 1000;
      for (const zone of ctx.zones.values()) {
        aggression(ctx, mud, zone);
        for (const player of [...zone.players()]) playerRound(ctx, mud, zone, player);
        for (const entity of [...zone.entities.values()]) {
          if (entity.kind !== NPC) continue;
          const npc = combatantOf(mud.world, zone, entity.id);
          if (npc?.data.target !== undefined) npcRound(ctx, mud, zone, npc);
        }
      }
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
    const name = capitalize(theName(npc.def.name));
    ctx.sendTo(victim, text(`${name} attacks you!`, 'combat'));
    toRoomExcept(ctx, zone.id, entity.room!, `${name} attacks ${victim.username}!`, victim.username);
  }
}

function playerRound(ctx: GameContext, mud: MudRuntime, zone: Zone, player: Player): void {
  // Most players fight nobody: a look at the raw state spares them the character's full check.
  const raw = (player.state as { character?: { fighting?: unknown } }).character;
  if (raw?.fighting === undefined) return;
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
    toRoomExcept(ctx, zone.id, room, `${player.username} misses ${name}.`, player.username);
    ctx.markDirty(npc.entity);
    return;
  }
  const health = npcHealth(npc) - damage;
  recordDamage(npc, player.username, damage);
  ctx.sendTo(player, text(`You hit ${name} (${damage}).`, 'combat'));
  toRoomExcept(ctx, zone.id, room, `${player.username} hits ${name}.`, player.username);
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
    toRoomExcept(ctx, zone.id, room, `${name} misses ${target.username}.`, target.username);
    return;
  }
  c.health = Math.max(0, c.health - damage);
  ctx.sendTo(target, text(`${name} hits you (${damage}).`, 'combat'));
  toRoomExcept(ctx, zone.id, room, `${name} hits ${target.username}.`, target.username);
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
