import {
  type CommandContext,
  CommandError,
  defineCommand,
  defineGame,
  type GameContext,
  type Player,
} from '@leviathan/engine';
import type { RoomMessage } from '@leviathan/protocol';
import { DEMO_WORLD, type DemoRoom, DIRECTION_ALIASES } from './world.js';

/**
 * The demo game: four zones (town, forest, caves, harbor) spread over the shards, walking between
 * them (a handoff when the next zone lives on another shard), `say`, `tell`, `shout`, `who`,
 * `look`, `help`. A small tour of the Game API; the MUD (@leviathan/mud) is the full game.
 */

/**
 * This module's URL, to give a server as `game`: every shard thread imports the game module
 * itself, so a server is given where it is, not the definition.
 */
export function demoGameModule(): string {
  return import.meta.url;
}

function roomOf(zone: string, room: string | undefined): DemoRoom | undefined {
  return room === undefined ? undefined : DEMO_WORLD[zone]?.[room];
}

function describe(ctx: GameContext, player: Player): RoomMessage {
  const room = roomOf(player.zone, player.room);
  const zone = ctx.zone(player.zone);
  const occupants = (zone?.playersInRoom(player.room ?? '') ?? [])
    .filter((p) => p.username !== player.username)
    .map((p) => ({ name: p.username, kind: 'player' as const }));
  return {
    type: 'room',
    id: `${player.zone}:${player.room ?? ''}`,
    zone: player.zone,
    title: room?.title ?? 'Nowhere',
    description: room?.description ?? '',
    exits: Object.entries(room?.exits ?? {}).map(([direction, to]) => {
      const [z, r] = to.split(':') as [string, string];
      return { direction, to: DEMO_WORLD[z]?.[r]?.title ?? to };
    }),
    occupants,
    items: [],
  };
}

function lookText(message: RoomMessage): string {
  const exits = message.exits.map((e) => e.direction).join(', ') || 'none';
  const here = message.occupants.map((o) => o.name).join(', ');
  return `${message.title}\n${message.description}\nExits: ${exits}${here ? `\nHere: ${here}` : ''}`;
}

function go(ctx: CommandContext, direction: string): void {
  const dir = DIRECTION_ALIASES[direction] ?? direction;
  const from = roomOf(ctx.player.zone, ctx.player.room);
  const to = from?.exits[dir];
  if (to === undefined) throw new CommandError(`You cannot go ${dir || 'nowhere'} from here.`);
  const [zone, room] = to.split(':') as [string, string];
  const player = ctx.player;
  ctx.toRoom(
    player.zone,
    player.room ?? '',
    { type: 'presence', event: 'depart', name: player.username, kind: 'player', direction: dir },
    { except: player.username, priority: 'low' },
  );
  ctx.movePlayer(player, { zone, room });
  ctx.toRoom(
    zone,
    room,
    { type: 'presence', event: 'arrive', name: player.username, kind: 'player' },
    { except: player.username, priority: 'low' },
  );
  const target = DEMO_WORLD[zone]?.[room];
  const visits = typeof player.state.moves === 'number' ? player.state.moves + 1 : 1;
  player.state.moves = visits;
  ctx.markDirty(player);
  ctx.reply(`You go ${dir}.\n${target?.title ?? to}\n${target?.description ?? ''}`, {
    zone,
    room,
    shard: ctx.shard.index,
  });
}

const commands = [
  defineCommand({
    name: 'look',
    aliases: ['l'],
    usage: 'look',
    help: 'Describe the room you are in.',
    run: (ctx) => {
      const message = describe(ctx, ctx.player);
      if (ctx.player.capabilities.includes('events')) ctx.send(message);
      ctx.reply(lookText(message), {
        zone: ctx.player.zone,
        room: ctx.player.room ?? null,
        shard: ctx.shard.index,
      });
    },
  }),
  defineCommand({
    name: 'go',
    aliases: ['walk', 'move'],
    usage: 'go <direction>',
    help: 'Walk through an exit: go north (or just n, s, e, w, u, d).',
    run: (ctx, rest) => go(ctx, rest.toLowerCase()),
  }),
  ...['north', 'south', 'east', 'west', 'up', 'down'].map((dir) =>
    defineCommand({
      name: dir,
      aliases: [dir[0]!],
      hidden: true,
      run: (ctx) => go(ctx, dir),
    }),
  ),
  defineCommand({
    name: 'say',
    aliases: ["'"],
    usage: 'say <text>',
    help: 'Say something to everyone in the room.',
    parse: (rest) => {
      if (rest.length === 0) throw new CommandError('Say what?');
      return rest;
    },
    run: (ctx, text) => {
      const p = ctx.player;
      ctx.toRoom(
        p.zone,
        p.room ?? '',
        { type: 'chat', channel: 'say', from: p.username, text },
        { except: p.username },
      );
      ctx.reply(`You say: ${text}`);
    },
  }),
  defineCommand({
    name: 'tell',
    usage: 'tell <player> <text>',
    help: 'Whisper to a player anywhere in the world.',
    parse: (rest) => {
      const m = /^(\S+)\s+(.+)$/.exec(rest);
      if (m === null) throw new CommandError('Usage: tell <player> <text>');
      return { to: m[1]!, text: m[2]! };
    },
    run: (ctx, { to, text }) => {
      const target = ctx.directory.get(to);
      if (target === undefined) throw new CommandError(`${to} is not online.`);
      ctx.sendTo(target.username, {
        type: 'chat',
        channel: 'tell',
        from: ctx.player.username,
        to: target.username,
        text,
      });
      ctx.reply(`You tell ${target.username}: ${text}`);
    },
  }),
  defineCommand({
    name: 'shout',
    usage: 'shout <text>',
    help: 'Shout to everyone online.',
    parse: (rest) => {
      if (rest.length === 0) throw new CommandError('Shout what?');
      return rest;
    },
    run: (ctx, text) => {
      ctx.toAll(
        { type: 'chat', channel: 'shout', from: ctx.player.username, text },
        { except: ctx.player.username },
      );
      ctx.reply(`You shout: ${text}`);
    },
  }),
  defineCommand({
    name: 'who',
    usage: 'who',
    help: 'List the players online, on every shard.',
    run: (ctx) => {
      const names = [...ctx.directory.values()].map((e) => e.username).sort();
      ctx.reply(`${names.length} online: ${names.join(', ')}`, { players: names });
    },
  }),
  defineCommand({
    name: 'help',
    usage: 'help',
    help: 'List the commands.',
    run: (ctx) => {
      const lines = ctx.commands
        .list()
        .filter((c) => !c.hidden && (c.role === undefined || ctx.player.roles.includes(c.role)))
        .map((c) => `${(c.usage ?? c.name).padEnd(24)} ${c.help ?? ''}`);
      ctx.reply(lines.join('\n'));
    },
  }),
];

export default defineGame({
  name: 'demo',
  zones: Object.keys(DEMO_WORLD).map((id) => ({ id })),
  start: { zone: 'town', room: 'square' },
  commands,
  newPlayerState: () => ({ moves: 0 }),
  onPlayerEnter: (player, ctx, reason) => {
    if (reason === 'login') {
      ctx.toRoom(
        player.zone,
        player.room ?? '',
        { type: 'presence', event: 'arrive', name: player.username, kind: 'player' },
        { except: player.username, priority: 'low' },
      );
    }
  },
  onPlayerLeave: (player, ctx, reason) => {
    if (reason === 'logout') {
      ctx.toRoom(
        player.zone,
        player.room ?? '',
        { type: 'presence', event: 'depart', name: player.username, kind: 'player' },
        { priority: 'low' },
      );
    }
  },
});
