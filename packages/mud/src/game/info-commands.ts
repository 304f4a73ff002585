import { type CommandContext, CommandError, defineCommand } from '@leviathan/engine';
import { parseDirection } from '../commands/directions.js';
import { findTarget } from '../commands/targets.js';
import { type HelpEntry, renderHelp } from '../render/help-text.js';
import { capitalize, listJoin } from '../render/text.js';
import { renderWho, type WhoLine } from '../render/who-text.js';
import { playersToName, WHO_PAGE } from './crowd.js';
import { carried } from './item-commands.js';
import type { MudRuntime } from './mud-runtime.js';
import type { AnyCommand } from './mud-state.js';
import { itemsInRoom, npcsInRoom, roomId } from './mud-state.js';

/** Describes a thing the player names: carried, on the floor, an NPC, a player, a room detail. */
function examine(ctx: CommandContext, mud: MudRuntime, what: string): void {
  const p = ctx.player;
  const room = p.room ?? '';
  const w = what.trim().toLowerCase();
  if (w === 'me' || w === 'self' || w === p.username.toLowerCase()) {
    const items = carried(mud, p).map((i) => i.name);
    ctx.reply(
      `You are ${p.username}.${items.length > 0 ? ` You carry ${listJoin(items)}.` : ' Your hands are empty.'}`,
    );
    return;
  }
  const dir = parseDirection(w);
  if (dir) {
    const exit = mud.world.rooms.get(roomId(p.zone, p.room))?.exits.find((e) => e.direction === dir);
    ctx.reply(
      exit
        ? `To the ${dir}: ${mud.world.rooms.get(exit.to)?.title ?? 'somewhere'}.`
        : `There is no way ${dir}.`,
    );
    return;
  }
  type Thing = { name: string; keywords: readonly string[]; describe: () => string };
  const things: Thing[] = [];
  for (const h of carried(mud, p))
    things.push({
      name: h.name,
      keywords: h.keywords,
      describe: () => `${capitalize(h.name)} (yours). ${h.def.description}`,
    });
  for (const i of itemsInRoom(mud.world, ctx.here, room))
    things.push({ name: i.def.name, keywords: i.def.keywords, describe: () => i.def.description });
  for (const n of npcsInRoom(mud.world, ctx.here, room))
    things.push({ name: n.def.name, keywords: n.def.keywords, describe: () => n.def.description });
  for (const other of playersToName(ctx, room, what)) {
    if (other.username === p.username) continue;
    things.push({
      name: other.username,
      keywords: [other.username.toLowerCase()],
      describe: () => {
        const items = carried(mud, other).map((i) => i.name);
        return `${other.username} is a fellow traveller${items.length > 0 ? `, carrying ${listJoin(items)}` : ''}.`;
      },
    });
  }
  const found = findTarget(what, things);
  if (found) {
    ctx.reply(found.describe());
    return;
  }
  const details = mud.world.rooms.get(roomId(p.zone, p.room))?.details ?? {};
  const detail = details[w] ?? Object.entries(details).find(([k]) => k.startsWith(w))?.[1];
  if (detail) {
    ctx.reply(detail);
    return;
  }
  throw new CommandError(`You see no "${what}" here.`);
}

export function infoCommands(mud: MudRuntime): AnyCommand[] {
  const look = defineCommand({
    name: 'look',
    aliases: ['l'],
    usage: 'look [thing]',
    help: 'Describes the room you are in, or a thing, a person or a direction ("look north").',
    run: (ctx, rest) => {
      const what = rest.replace(/^(at|in)\s+/i, '');
      if (what) examine(ctx, mud, what);
      else mud.showRoom(ctx, ctx.player, (t) => ctx.reply(t));
    },
  });
  const exam = defineCommand({
    name: 'examine',
    aliases: ['x'],
    usage: 'examine <thing>',
    help: 'Looks closely at an item, a person, or a detail of the room ("examine fountain").',
    run: (ctx, what) => {
      if (!what) throw new CommandError('Examine what?');
      examine(ctx, mud, what);
    },
  });
  const who = defineCommand({
    name: 'who',
    usage: 'who [page]',
    help: `Lists everyone playing, on every shard, and where they are: ${WHO_PAGE} at a time ("who 2" for the next ones).`,
    parse: (rest) => {
      if (!rest) return 1;
      const page = Number(rest);
      if (!Number.isInteger(page) || page < 1) throw new CommandError('Which page? Usage: who [page]');
      return page;
    },
    run: (ctx, page) => {
      const all = mud.whoList(ctx);
      const pages = Math.max(1, Math.ceil(all.length / WHO_PAGE));
      if (page > pages)
        throw new CommandError(
          pages === 1
            ? 'The list has one page: "who".'
            : `The list has ${pages} pages: "who ${pages}" is the last.`,
        );
      const now = ctx.now;
      const lines: WhoLine[] = all.slice((page - 1) * WHO_PAGE, page * WHO_PAGE).map((e) => ({
        name: e.username,
        where: mud.world.zones.get(e.zone)?.name ?? e.zone,
        roles: e.roles,
        onlineSec: (now - e.since) / 1000,
      }));
      ctx.reply(
        renderWho(lines, mud.world.name, { total: all.length, page, pages }),
        lines.map((l) => ({ name: l.name, where: l.where })),
      );
    },
  });
  const help = defineCommand({
    name: 'help',
    aliases: ['?', 'commands'],
    usage: 'help [command]',
    help: 'Lists the commands, or explains one.',
    run: (ctx, topic) => {
      ctx.reply(
        renderHelp(ctx.commands.list() as readonly HelpEntry[], ctx.player.roles, topic || undefined),
      );
    },
  });
  const quit = defineCommand({
    name: 'quit',
    usage: 'quit',
    help: 'Leaves the game. Your character and what it carries are saved.',
    run: (ctx) => {
      ctx.reply('Goodbye. The coast will be here when you come back.');
      ctx.kick(ctx.player.username, 'quit');
    },
  });
  return [look, exam, who, help, quit];
}
