import type { GameContext, Player, Zone } from '@leviathan/engine';
import { characterOf } from '../character/character-state.js';
import { maxHealth } from '../character/stats.js';
import { capitalize, listJoin } from '../render/text.js';
import { corpseItemId } from '../world/world-builder.js';
import { awardFightExperience, sharesAtDeath } from './combat-experience.js';
import { type Combatant, fightingRaw, theName, toRoomExcept } from './combat-state.js';
import { setArrival } from './movement-commands.js';
import { type MudRuntime, splitLocal, text } from './mud-runtime.js';
import { ITEM, type ItemEntityData, NPC, type NpcEntityData, splitRoomId } from './mud-state.js';
import { countKill } from './quest-progress.js';
import { sendVitals } from './vitals.js';

/**
 * An NPC killed by `killer`: it leaves a corpse (decaying after `corpseDecaySec`), its loot falls
 * to the floor, it leaves the room until it respawns (its entity stays, without a room, so the
 * respawn time survives a restart), and everyone who fought it stops. Its experience is shared by
 * the players still in the room who damaged it, by the damage each dealt (combat-experience.ts),
 * and each of them counts the kill for quests that ask for it: a group that fights together
 * should not have to kill a creature once per member, nor race for the last blow.
 */
export function npcDies(ctx: GameContext, mud: MudRuntime, zone: Zone, npc: Combatant, killer: Player): void {
  const room = npc.entity.room!;
  const name = theName(npc.def.name);
  // Who shares the kill is read while the NPC and its record are still in the room.
  const shares = sharesAtDeath(ctx, zone, npc, killer);
  toRoomExcept(ctx, mud, zone.id, room, `${capitalize(name)} dies.`, undefined);
  const corpse: ItemEntityData = {
    item: corpseItemId(npc.def.id),
    decayAt: ctx.now + mud.options.corpseDecaySec * 1000,
  };
  const corpseId = mud.newItemId(zone.id);
  zone.entities.set(corpseId, { id: corpseId, kind: ITEM, room, data: corpse as never });
  for (const item of npc.def.combat.loot) mud.spawnItem(zone, room, item, false);
  if (npc.def.combat.loot.length > 0) {
    const names = npc.def.combat.loot.map((id) => mud.world.items.get(id)?.name ?? id);
    toRoomExcept(ctx, mud, zone.id, room, `${capitalize(name)} leaves ${listJoin(names)} behind.`, undefined);
  }
  npc.entity.room = undefined;
  delete npc.data.health;
  delete npc.data.target;
  delete npc.data.damage;
  npc.data.respawnAt = ctx.now + npc.def.combat.respawnSec * 1000;
  ctx.markDirty(npc.entity);
  ctx.markDirty(zone);
  for (const p of [...zone.occupants(room)]) {
    if (fightingRaw(p) !== npc.entity.id) continue;
    const c = characterOf(p);
    delete c.fighting;
    ctx.markDirty(p);
  }
  for (const [player, xp] of shares) {
    // A scratch too small for a whole point of experience still counts as having fought.
    if (xp > 0) awardFightExperience(ctx, player, xp);
    for (const line of countKill(ctx, mud, player, npc.def.id)) ctx.sendTo(player, text(line, 'quest'));
  }
  mud.refreshRoom(ctx, zone, room);
}

/**
 * A player killed by an NPC: back to the world's spawn room with full health. Nothing is lost
 * (no corpse, no experience taken): death costs the walk back, which is the whole lesson.
 */
export function playerDies(
  ctx: GameContext,
  mud: MudRuntime,
  zone: Zone,
  npc: Combatant,
  player: Player,
): void {
  const room = player.room!;
  const c = characterOf(player);
  delete c.fighting;
  c.health = maxHealth(c);
  delete npc.data.target;
  ctx.markDirty(npc.entity);
  ctx.markDirty(player);
  const spawn = mud.world.spawn[0]!;
  const title = mud.world.rooms.get(spawn)?.title ?? spawn;
  ctx.sendTo(player, text(`${capitalize(theName(npc.def.name))} kills you!`, 'combat'));
  ctx.sendTo(
    player,
    text(`You wake in ${title}, whole again. Death takes nothing from you but the walk back.`, 'combat'),
  );
  toRoomExcept(
    ctx,
    mud,
    zone.id,
    room,
    `${player.username} is killed by ${theName(npc.def.name)}.`,
    player.username,
  );
  sendVitals(ctx, player);
  setArrival(player, { magic: true });
  ctx.movePlayer(player, splitRoomId(spawn));
}

/** Corpses whose time has come crumble away. */
export function decayCorpses(ctx: GameContext, mud: MudRuntime, zone: Zone): void {
  for (const entity of [...zone.entities.values()]) {
    if (entity.kind !== ITEM || entity.room === undefined) continue;
    const data = entity.data as unknown as ItemEntityData;
    if (data.decayAt === undefined || ctx.now < data.decayAt) continue;
    zone.entities.delete(entity.id);
    ctx.markDirty(zone);
    const name = mud.world.items.get(data.item)?.name ?? 'a corpse';
    toRoomExcept(ctx, mud, zone.id, entity.room, `${capitalize(name)} crumbles to dust.`, undefined);
    mud.refreshRoom(ctx, zone, entity.room);
  }
}

/** Dead NPCs whose time has come return to their spawn room, whole. */
export function respawnNpcs(ctx: GameContext, mud: MudRuntime, zone: Zone): void {
  for (const entity of zone.entities.values()) {
    if (entity.kind !== NPC || entity.room !== undefined) continue;
    const data = entity.data as unknown as NpcEntityData;
    if (data.respawnAt === undefined || ctx.now < data.respawnAt) continue;
    const def = mud.world.npcs.get(data.npc);
    if (!def) continue;
    delete data.respawnAt;
    delete data.damage;
    entity.room = splitLocal(def.spawn);
    ctx.markDirty(entity);
    mud.presence(ctx, zone.id, entity.room, 'arrive', def.name, 'npc', `${capitalize(def.name)} appears`);
    mud.refreshRoom(ctx, zone, entity.room);
  }
}
