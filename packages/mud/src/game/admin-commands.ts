import { CommandError, defineCommand } from '@leviathan/engine';
import { closestWord } from '../commands/did-you-mean.js';
import { teleport } from './movement-commands.js';
import { type MudRuntime, text } from './mud-runtime.js';
import type { AnyCommand } from './mud-state.js';
import { roomId } from './mud-state.js';
import { findOnline } from './talk-commands.js';

/** Time between the notice to everyone and the stop, so the notice is read, in ms. @default 2000 */
const SHUTDOWN_NOTICE_MS = 2_000;

export function adminCommands(mud: MudRuntime): AnyCommand[] {
  const role = mud.options.adminRole;
  const tp = defineCommand({
    name: 'teleport',
    aliases: ['goto'],
    role,
    usage: 'teleport <zone:room> | teleport <player>',
    help: 'Moves you to any room (by its full id, such as harbor:square) or to any player, on any shard.',
    run: (ctx, where) => {
      if (!where) throw new CommandError('Teleport where? A room id (harbor:square) or a player name.');
      let to: string | undefined;
      if (where.includes(':')) {
        if (!mud.world.rooms.has(where)) {
          const hint = closestWord(where, mud.world.rooms.keys());
          throw new CommandError(`No room "${where}"${hint ? ` (did you mean ${hint}?)` : ''}.`);
        }
        to = where;
      } else {
        const entry = findOnline(ctx, where);
        if (!entry?.room) throw new CommandError(`Nobody called ${where} is playing.`);
        to = roomId(entry.zone, entry.room);
      }
      if (to === roomId(ctx.player.zone, ctx.player.room)) throw new CommandError('You are already there.');
      ctx.reply(`You fold the world and step through to ${mud.world.rooms.get(to)?.title ?? to}.`);
      teleport(ctx, mud, ctx.player, to);
    },
  });
  const broadcast = defineCommand({
    name: 'broadcast',
    aliases: ['wall'],
    role,
    usage: 'broadcast <text>',
    help: 'Sends a notice to every player in the world.',
    run: (ctx, said) => {
      if (!said) throw new CommandError('Broadcast what?');
      ctx.toAll({ type: 'chat', channel: 'broadcast', from: ctx.player.username, text: said });
      ctx.toAll(text(`[Notice from ${ctx.player.username}] ${said}`, 'broadcast'));
      ctx.reply('Sent to everyone.');
    },
  });
  const shutdown = defineCommand({
    name: 'shutdown',
    role,
    usage: 'shutdown [reason]',
    help: 'Stops the server gracefully: everyone is told, state is saved, connections close.',
    run: (ctx, reason) => {
      const why = reason || `shutdown by ${ctx.player.username}`;
      ctx.log.warn({ by: ctx.player.username, reason: why }, 'shutdown requested in the game');
      ctx.toAll(
        text(`[The server is shutting down in ${SHUTDOWN_NOTICE_MS / 1000} seconds: ${why}]`, 'broadcast'),
      );
      ctx.reply('Shutting down.');
      // The engine's graceful shutdown (bye to everyone, state flushed), embedded or under the CLI.
      ctx.timers.after(SHUTDOWN_NOTICE_MS, () => ctx.requestShutdown(why));
    },
  });
  return [tp, broadcast, shutdown];
}
