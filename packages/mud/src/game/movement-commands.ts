import {
  type CommandContext,
  CommandError,
  defineCommand,
  type Player,
  type PresenceSummary,
} from '@leviathan/engine';
import { DIRECTION_ALIASES, parseDirection } from '../commands/directions.js';
import { capitalize, listJoin, sentence } from '../render/text.js';
import { DIRECTIONS, type Direction, OPPOSITE } from '../world/world-types.js';
import { opponentOf, theName } from './combat-state.js';
import type { MudRuntime } from './mud-runtime.js';
import type { AnyCommand } from './mud-state.js';
import { roomId, splitRoomId } from './mud-state.js';

/** How a player is arriving, kept in player state across a handoff so the new shard can say it. */
export interface Arrival {
  /** The direction walked (the arrival comes from the opposite side). */
  dir?: Direction;
  /** A teleport or recall: appears out of thin air. */
  magic?: boolean;
}

export function setArrival(player: Player, arrival: Arrival): void {
  (player.state as Record<string, unknown>).arriving = arrival as never;
}

export function takeArrival(player: Player): Arrival | undefined {
  const s = player.state as Record<string, unknown>;
  const a = s.arriving as Arrival | undefined;
  delete s.arriving;
  return a;
}

/** Walks the player through an exit: the room hears them leave; the move may be a handoff. */
export function walk(ctx: CommandContext, mud: MudRuntime, dir: Direction): void {
  const p = ctx.player;
  const room = mud.world.rooms.get(roomId(p.zone, p.room));
  const exit = room?.exits.find((e) => e.direction === dir);
  if (!room || !exit) throw new CommandError(`You cannot go ${dir} from here.`);
  refuseWhileFighting(ctx, mud);
  mud.presence(ctx, p.zone, p.room, 'depart', p.username, 'player', `${p.username} leaves ${dir}`, {
    direction: dir,
  });
  setArrival(p, { dir });
  ctx.movePlayer(p, splitRoomId(exit.to));
}

/** A fight holds a player in the room: walking away (or recalling) needs `flee`, which may fail. */
function refuseWhileFighting(ctx: CommandContext, mud: MudRuntime): void {
  const npc = opponentOf(mud.world, ctx.here, ctx.player);
  if (npc) throw new CommandError(`You are fighting ${theName(npc.def.name)}! Type "flee" to get away.`);
}

/** Moves a player by magic (recall, teleport): no exit, a puff of smoke. */
export function teleport(ctx: CommandContext, mud: MudRuntime, player: Player, to: string): void {
  mud.presence(
    ctx,
    player.zone,
    player.room,
    'depart',
    player.username,
    'player',
    `${player.username} vanishes`,
  );
  setArrival(player, { magic: true });
  ctx.movePlayer(player, splitRoomId(to));
}

/** Where an arrival from `from` comes from, as a sentence says it: "the east", "above". */
function sideOf(from: string): string {
  return from === 'up'
    ? 'above'
    : from === 'down'
      ? 'below'
      : from === 'in'
        ? 'inside'
        : from === 'out'
          ? 'outside'
          : `the ${from}`;
}

/** The line a room hears when someone arrives. */
export function arrivalLine(
  name: string,
  arrival: Arrival | undefined,
): { line: string; direction?: string } {
  if (arrival?.dir) {
    const from = OPPOSITE[arrival.dir];
    return { line: `${name} arrives from ${sideOf(from)}`, direction: from };
  }
  if (arrival?.magic) return { line: `${name} appears out of thin air` };
  return { line: `${name} arrives` };
}

/**
 * The line a room hears when a crowd arrives or leaves in one tick (the engine's presence
 * summary): "Ada, Bram, Cy and 9 others arrive from the east." / "... leave north."
 */
export function crowdLine(summary: PresenceSummary): string {
  const others = summary.count - summary.names.length;
  const who = listJoin(
    others > 0 ? [...summary.names, `${others} ${others === 1 ? 'other' : 'others'}`] : summary.names,
  );
  const dir = summary.direction;
  const line =
    summary.event === 'arrive'
      ? `${who} arrive${dir ? ` from ${sideOf(dir)}` : ''}`
      : `${who} leave${dir ? ` ${dir}` : ''}`;
  return sentence(capitalize(line));
}

export function movementCommands(mud: MudRuntime): AnyCommand[] {
  const directions = DIRECTIONS.map((dir) =>
    defineCommand({
      name: dir,
      aliases: DIRECTION_ALIASES[dir],
      usage: dir,
      hidden: true,
      help: `Walks ${dir}.`,
      run: (ctx) => walk(ctx, mud, dir),
    }),
  );
  const go = defineCommand({
    name: 'go',
    usage: 'go <direction>',
    help: 'Walks through an exit. Just the direction works too: north, south, east, west, northeast, northwest, southeast, southwest, up, down, in, out, or n, s, e, w, ne, nw, se, sw, u, d.',
    parse: (rest) => {
      const dir = parseDirection(rest);
      if (!dir) throw new CommandError(rest ? `"${rest}" is not a direction.` : 'Go where?');
      return dir;
    },
    run: (ctx, dir) => walk(ctx, mud, dir),
  });
  const recall = defineCommand({
    name: 'recall',
    usage: 'recall',
    help: 'Returns you to where new characters start, wherever you are. For when you are lost.',
    run: (ctx) => {
      const spawn = mud.world.spawn[0]!;
      if (roomId(ctx.player.zone, ctx.player.room) === spawn)
        throw new CommandError('You are already there.');
      refuseWhileFighting(ctx, mud);
      ctx.reply('You close your eyes, think of home, and the world folds around you.');
      teleport(ctx, mud, ctx.player, spawn);
    },
  });
  return [...directions, go, recall];
}
