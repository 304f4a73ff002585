import type { GameContext, SystemDefinition } from '@leviathan/engine';
import { CloseCode } from '@leviathan/protocol';
import { capitalize } from '../render/text.js';
import type { Direction } from '../world/world-types.js';
import { arrivalLine } from './movement-commands.js';
import { type MudRuntime, splitLocal, text } from './mud-runtime.js';
import { ITEM, type ItemEntityData, NPC, type NpcEntityData, roomId } from './mud-state.js';
import { respawnKey, zoneMemory } from './zone-memory.js';

/** NPCs that wander take a random exit that stays in their zone, now and then. */
export function npcSystem(mud: MudRuntime, random: () => number = Math.random): SystemDefinition {
  return {
    name: 'mud-npcs',
    everyTicks: 5,
    run: (ctx) => {
      for (const zone of ctx.zones.values()) {
        for (const entity of zone.entities.values()) {
          if (entity.kind !== NPC || entity.room === undefined) continue;
          const data = entity.data as unknown as NpcEntityData;
          const def = mud.world.npcs.get(data.npc);
          // A fighting NPC stands its ground (it runs only when its combat says, combat-system.ts).
          if (!def?.wander || data.target !== undefined || ctx.now < data.nextMoveAt) continue;
          data.nextMoveAt = ctx.now + def.wander.everySec * 1000;
          if (random() >= def.wander.chance) continue;
          const room = mud.world.rooms.get(roomId(zone.id, entity.room));
          const exits = room?.exits.filter((e) => e.to.startsWith(`${zone.id}:`)) ?? [];
          if (exits.length === 0) continue;
          const exit = exits[Math.floor(random() * exits.length)]!;
          const name = capitalize(def.name);
          mud.presence(
            ctx,
            zone.id,
            entity.room,
            'depart',
            def.name,
            'npc',
            `${name} leaves ${exit.direction}`,
            {
              direction: exit.direction,
            },
          );
          entity.room = splitLocal(exit.to);
          // Written, so a restart finds it where it wandered to (one entity: cheap).
          ctx.markDirty(entity);
          const arrive = arrivalLine(name, { dir: exit.direction as Direction });
          mud.presence(
            ctx,
            zone.id,
            entity.room,
            'arrive',
            def.name,
            'npc',
            arrive.line,
            arrive.direction ? { direction: arrive.direction } : {},
          );
        }
      }
    },
  };
}

/**
 * Items the world places in a room come back `respawnSec` after they were taken (`get` starts the
 * clock; one gone any other way is timed from when this system notices).
 * The time each comes back is kept in the zone's state (zone-memory.ts), so a restart neither
 * brings an item back early nor makes it wait a whole new `respawnSec`.
 */
export function respawnSystem(mud: MudRuntime): SystemDefinition {
  return {
    name: 'mud-respawn',
    everyTicks: 20,
    run: (ctx) => {
      const delay = mud.options.respawnSec * 1000;
      for (const zone of ctx.zones.values()) {
        const present = new Set<string>();
        for (const e of zone.entities.values()) {
          if (e.kind !== ITEM) continue;
          const d = e.data as unknown as ItemEntityData;
          if (d.home !== undefined && e.room === d.home) present.add(respawnKey(d.home, d.item));
        }
        const memory = zoneMemory(zone);
        const due = memory.respawnAt ?? {};
        let changed = false;
        for (const rid of mud.world.zones.get(zone.id)?.rooms ?? []) {
          const room = splitLocal(rid);
          for (const item of mud.world.rooms.get(rid)!.items) {
            const key = respawnKey(room, item);
            const at = due[key];
            if (present.has(key)) {
              if (at !== undefined) {
                delete due[key];
                changed = true;
              }
              continue;
            }
            if (at === undefined) {
              due[key] = ctx.now + delay;
              changed = true;
            } else if (ctx.now >= at) {
              delete due[key];
              changed = true;
              mud.spawnItem(zone, room, item, true);
              mud.refreshRoom(ctx, zone, room);
            }
          }
        }
        if (!changed) continue;
        if (Object.keys(due).length === 0) delete memory.respawnAt;
        else memory.respawnAt = due;
        // The zone's state and entities in one write: a respawned item and its cleared time.
        ctx.markDirty(zone);
      }
    },
  };
}

/** Players idle past `idleWarnSec` are warned once; past `idleLogoutSec` they are logged out. */
export function idleSystem(mud: MudRuntime): SystemDefinition {
  return {
    name: 'mud-idle',
    everyTicks: 10,
    run: (ctx: GameContext) => {
      const { idleWarnSec, idleLogoutSec } = mud.options;
      if (idleLogoutSec <= 0) return;
      for (const zone of ctx.zones.values()) {
        for (const p of zone.players()) {
          const last = mud.lastActive.get(p.username);
          if (last === undefined) {
            mud.touch(p.username, ctx.now);
            continue;
          }
          const idle = (ctx.now - last) / 1000;
          if (idle >= idleLogoutSec) {
            ctx.sendTo(
              p,
              text('You have been idle too long, and drift out of the world. Come back soon.', 'system'),
            );
            mud.forget(p.username);
            ctx.kick(p.username, 'idle', CloseCode.Idle);
          } else if (idle >= idleWarnSec && !mud.warned.has(p.username)) {
            mud.warned.add(p.username);
            const left = Math.ceil(idleLogoutSec - idle);
            ctx.sendTo(
              p,
              text(
                `You have been idle for a while: you will be logged out in ${left} seconds unless you do something.`,
                'system',
              ),
            );
          }
        }
      }
    },
  };
}
