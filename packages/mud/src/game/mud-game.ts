import {
  type CommandContext,
  type CommandDefinition,
  defineGame,
  type GameContext,
  type GameDefinition,
  type Player,
} from '@leviathan/engine';
import type { JsonValue } from '@leviathan/protocol';
import { closestWord } from '../commands/did-you-mean.js';
import { resolveCommand, splitLine } from '../commands/parse-line.js';
import { capitalize } from '../render/text.js';
import { loadWorldSync } from '../world/load-world.js';
import type { World } from '../world/world-types.js';
import { adminCommands } from './admin-commands.js';
import { BUILDER_COMMANDS, builderCommands } from './builder-commands.js';
import { characterCommands } from './character-commands.js';
import { combatCommands } from './combat-commands.js';
import { combatSystem, regenSystem } from './combat-system.js';
import { infoCommands } from './info-commands.js';
import { itemCommands } from './item-commands.js';
import { arrivalLine, crowdLine, movementCommands, setArrival, takeArrival } from './movement-commands.js';
import { type MudOptions, parseMudOptions } from './mud-options.js';
import { MudRuntime, text } from './mud-runtime.js';
import type { AnyCommand } from './mud-state.js';
import { newPlayerState, npcsInRoom, splitRoomId } from './mud-state.js';
import { oocCommands } from './ooc-commands.js';
import { oocCatchUpSystem, oocHeard } from './ooc-shards.js';
import { questCommands } from './quest-commands.js';
import { sendJournal } from './quest-progress.js';
import { shopCommands } from './shop-commands.js';
import { idleSystem, npcSystem, respawnSystem } from './systems.js';
import { talkCommands } from './talk-commands.js';
import { telnetService } from './telnet-service.js';
import { sendVitals } from './vitals.js';
import { reloadHeard } from './zone-reload.js';
import { zoneHeard } from './zone-shards.js';

/** Commands that must be typed in full: a prefix never reaches them. */
const NO_PREFIX = new Set(['quit', 'shutdown', 'broadcast', 'teleport']);
/** Builder commands write world files: typed in full too (BUILDER_COMMANDS in builder-commands.ts). */
for (const name of BUILDER_COMMANDS) NO_PREFIX.add(name);

/**
 * The zone → shard placement the world asks for (each zone file's `shard`), for the server's
 * `zoneShards` option. Zones without one, or past the shard count, are left to the engine's hash.
 */
export function worldZoneShards(world: World): Record<string, number> {
  // Entries past the server's shard count are ignored by the engine (its hash places those zones).
  const out: Record<string, number> = {};
  for (const z of world.zones.values()) if (z.shard !== undefined) out[z.id] = z.shard;
  return out;
}

/**
 * The MUD as a game on the Game API. Every shard builds its own instance (the world is loaded once
 * per shard, synchronously, before the first tick).
 */
export function createMudGame(
  options: MudOptions,
  world: World = loadWorldSync(options.world),
): GameDefinition {
  const mud = new MudRuntime(world, options);
  // Definition order decides short prefixes: common commands first (look, then movement, ...).
  const [look, ...info] = infoCommands(mud);
  const commands: AnyCommand[] = [
    look!,
    ...movementCommands(mud),
    ...itemCommands(mud),
    ...characterCommands(mud),
    ...shopCommands(mud),
    ...combatCommands(mud),
    ...talkCommands(mud),
    ...questCommands(mud),
    ...oocCommands(mud),
    ...info,
    ...adminCommands(mud),
    ...builderCommands(mud),
  ].map((c) => withActivity(mud, c));
  // The engine matches whole names and aliases before asking onUnknownCommand: what reaches it
  // is a prefix, a shortcut or a typo, and the commands in NO_PREFIX never answer those.
  const prefixable = commands.filter((c) => !NO_PREFIX.has(c.name));
  const [spawnZone, spawnRoom] = [splitRoomId(world.spawn[0]!).zone, splitRoomId(world.spawn[0]!).room];

  const arrive = (player: Player, ctx: GameContext) => {
    const arrival = takeArrival(player);
    const { line, direction } = arrivalLine(player.username, arrival);
    mud.presence(ctx, player.zone, player.room, 'arrive', player.username, 'player', line, { direction });
    mud.showRoom(ctx, player);
    greet(player, ctx);
  };
  const greet = (player: Player, ctx: GameContext) => {
    const zone = ctx.zone(player.zone);
    if (!zone || player.room === undefined) return;
    for (const npc of npcsInRoom(world, zone, player.room)) {
      if (npc.def.greet) ctx.sendTo(player, text(npc.def.greet, 'npc'));
    }
  };

  return defineGame({
    name: 'mud',
    zones: [...world.zones.values()].map((z) => ({
      id: z.id,
      data: { name: z.name, shard: z.shard ?? null },
    })),
    start: { zone: spawnZone, room: spawnRoom },
    commands,
    systems: [
      // The engine may or may not follow an adoption with onPlayerMove in the same tick; either
      // way the mark must not outlive the tick, or it would swallow the player's next arrival.
      { name: 'mud-handoff-marks', run: () => mud.handedOff.clear() },
      npcSystem(mud),
      respawnSystem(mud),
      combatSystem(mud),
      regenSystem(mud),
      idleSystem(mud),
      oocCatchUpSystem(mud),
    ],
    // Arrivals and departures in a room: one by one, or one line per tick for a crowd.
    presence: { summaryText: crowdLine },
    newPlayerState: () => newPlayerState(),
    onZoneLoad: (zone, ctx) => mud.populate(zone, ctx),
    // What other shards tell this one (ctx.tellShards), by topic: the lines of the ooc channel,
    // reloads asked by a builder on another shard (zone-reload.ts), and zones changed by building
    // in the game (zone-shards.ts).
    onShardMessage: (topic, data, ctx, from) => {
      if (!oocHeard(mud, topic, data, ctx) && !reloadHeard(mud, topic, data, ctx, from))
        zoneHeard(mud, topic, data, ctx, from);
    },
    onPlayerEnter: (player, ctx, reason) => {
      mud.touch(player.username, ctx.now);
      // First, so a client's bars are filled before the room's text: on login, on a resume (the
      // client may have missed changes) and after a handoff (harmless, and the one sure place).
      sendVitals(ctx, player);
      sendJournal(ctx, mud, player);
      if (!world.rooms.has(`${player.zone}:${player.room ?? ''}`)) {
        // Saved in a room the world no longer has (the world changed): back to the start. The
        // move shows the room, here (onPlayerMove) or on the start zone's shard after a handoff.
        if (reason === 'login' && world.motd) ctx.sendTo(player, text(world.motd, 'system'));
        setArrival(player, { magic: true });
        ctx.movePlayer(player, { zone: spawnZone, room: spawnRoom });
        return;
      }
      if (reason === 'login') {
        if (world.motd) ctx.sendTo(player, text(world.motd, 'system'));
        mud.presence(
          ctx,
          player.zone,
          player.room,
          'arrive',
          player.username,
          'player',
          `${player.username} has entered the world`,
        );
        mud.showRoom(ctx, player);
        greet(player, ctx);
      } else if (reason === 'handoff') {
        arrive(player, ctx);
        mud.handedOff.add(player.username);
      } else {
        mud.showRoom(ctx, player);
      }
    },
    onPlayerMove: (player, _from, ctx) => {
      // After a handoff the engine may call this too: the arrival was told on enter.
      if (mud.handedOff.delete(player.username)) return;
      arrive(player, ctx);
    },
    onPlayerLeave: (player, ctx, reason) => {
      mud.forget(player.username);
      if (reason === 'logout' || reason === 'kicked') {
        mud.presence(
          ctx,
          player.zone,
          player.room,
          'depart',
          player.username,
          'player',
          `${player.username} has left the world`,
        );
      }
    },
    onUnknownCommand: (ctx, word) => unknownCommand(ctx, word, prefixable),
    services:
      options.telnetPort === undefined
        ? []
        : [
            telnetService(
              options.telnetPort,
              options.telnetBanner ?? `${world.name}: a Leviathan MUD.`,
              world.name,
            ),
          ],
  });
}

/** Every command refreshes the player's idle clock. */
function withActivity<A>(mud: MudRuntime, command: CommandDefinition<A>): CommandDefinition<A> {
  return {
    ...command,
    run: (ctx, args) => {
      mud.touch(ctx.player.username, ctx.now);
      command.run(ctx, args);
    },
  };
}

/**
 * Lines the engine's exact lookup did not match: punctuation shortcuts (`'hi`), unique prefixes
 * (`inv`, `exa`), and otherwise a "did you mean" answer.
 */
function unknownCommand(ctx: CommandContext, _word: string, commands: readonly AnyCommand[]): void {
  const split = splitLine(ctx.line);
  if (!split) return;
  const r = resolveCommand(split.word, commands, ctx.player.roles, closestWord);
  if (r.kind === 'unknown') {
    const hint = r.suggestion ? ` Did you mean "${r.suggestion}"?` : '';
    ctx.fail(
      `${capitalize(`"${split.word.slice(0, 40)}"`)} is not a command.${hint} Type "help" for the list.`,
      'LEV_ERR_UNKNOWN_COMMAND',
    );
    return;
  }
  const c = r.command;
  const args = c.parse ? c.parse(split.rest, ctx) : split.rest;
  c.run(ctx, args);
}

/** The module's default export: the engine calls it with `gameOptions` in main and every shard. */
export default function mudGame(options: JsonValue | undefined): GameDefinition {
  return createMudGame(parseMudOptions(options));
}
