import { type CommandContext, CommandError, type DirectoryEntry, defineCommand } from '@leviathan/engine';
import type { ChatMessage } from '@leviathan/protocol';
import { closestWord } from '../commands/did-you-mean.js';
import { sentence } from '../render/text.js';
import { type MudRuntime, text } from './mud-runtime.js';
import type { AnyCommand } from './mud-state.js';
import { npcsInRoom } from './mud-state.js';

/** Limits what one line of talk may be, in characters. @default 500 */
export const MAX_TALK = 500;

/** A line of talk, checked: some text, of at most `MAX_TALK` characters. */
export function words(rest: string, what: string): string {
  if (!rest) throw new CommandError(`${what} what?`);
  if (rest.length > MAX_TALK)
    throw new CommandError(`That is too long to say in one breath (${MAX_TALK} characters at most).`);
  return rest;
}

/** Finds an online player on any shard: exact name, then any case, then a unique prefix. */
export function findOnline(ctx: CommandContext, name: string): DirectoryEntry | undefined {
  const exact = ctx.directory.get(name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  const prefixed: DirectoryEntry[] = [];
  for (const e of ctx.directory.values()) {
    const n = e.username.toLowerCase();
    if (n === lower) return e;
    if (n.startsWith(lower)) prefixed.push(e);
  }
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

function notOnline(ctx: CommandContext, name: string): CommandError {
  const hint = closestWord(
    name,
    [...ctx.directory.values()].map((e) => e.username),
  );
  return new CommandError(`Nobody called ${name} is playing${hint ? ` (did you mean ${hint}?)` : ''}.`);
}

/**
 * How long an NPC takes to answer, in ms: after the speaker's own words (a reply goes out when
 * its command ends), as a person would. @default 300
 */
const NPC_ANSWER_DELAY_MS = 300;

/** NPCs in the room answer keywords said near them (whole words, case-insensitive). */
function npcAnswers(ctx: CommandContext, mud: MudRuntime, said: string): void {
  const room = ctx.player.room;
  if (room === undefined) return;
  const zone = ctx.player.zone;
  const normalized = ` ${said.toLowerCase().replace(/[^a-z0-9'-]+/g, ' ')} `;
  for (const npc of npcsInRoom(mud.world, ctx.here, room)) {
    const answer = npc.def.answers.find((a) => a.keywords.some((k) => normalized.includes(` ${k} `)));
    if (!answer) continue;
    // The timer runs outside the command: it keeps only the zone and room, never ctx.player.
    ctx.timers.after(NPC_ANSWER_DELAY_MS, () => {
      if (npc.entity.room === room) ctx.toRoom(zone, room, text(answer.reply, 'npc'));
    });
  }
}

export function talkCommands(mud: MudRuntime): AnyCommand[] {
  const say = defineCommand({
    name: 'say',
    usage: 'say <text>',
    help: "Says something to everyone in the room. A leading quote works too: 'hello.",
    parse: (rest) => words(rest, 'Say'),
    run: (ctx, said) => {
      const me = ctx.player.username;
      const chat: ChatMessage = { type: 'chat', channel: 'say', from: me, text: said };
      mud.roomChat(ctx, ctx.player, chat, `${me} says, '${said}'`);
      ctx.reply(`You say, '${said}'`);
      npcAnswers(ctx, mud, said);
    },
  });
  const emote = defineCommand({
    name: 'emote',
    aliases: ['me'],
    usage: 'emote <action>',
    help: 'Acts something out for the room: "emote waves" shows "Ann waves." A leading colon works too: :waves.',
    parse: (rest) => words(rest, 'Emote'),
    run: (ctx, action) => {
      const me = ctx.player.username;
      const line = sentence(`${me} ${action}`);
      mud.roomChat(ctx, ctx.player, { type: 'chat', channel: 'emote', from: me, text: action }, line);
      ctx.reply(line);
    },
  });
  const tell = defineCommand({
    name: 'tell',
    aliases: ['whisper', 't'],
    usage: 'tell <player> <text>',
    help: 'Says something to one player only, wherever they are in the world.',
    parse: (rest) => {
      const m = /^(\S+)\s+(.+)$/s.exec(rest);
      if (!m) throw new CommandError('Tell whom what? Usage: tell <player> <text>');
      return { to: m[1]!, said: words(m[2]!.trim(), 'Tell') };
    },
    run: (ctx, { to, said }) => {
      const me = ctx.player.username;
      const target = findOnline(ctx, to);
      if (!target) throw notOnline(ctx, to);
      if (target.username === me) {
        ctx.reply(`You mutter to yourself, '${said}'`);
        return;
      }
      ctx.sendTo(target.username, {
        type: 'chat',
        channel: 'tell',
        from: me,
        to: target.username,
        text: said,
      });
      ctx.sendTo(target.username, text(`${me} tells you, '${said}'`, 'tell'));
      ctx.reply(`You tell ${target.username}, '${said}'`);
    },
  });
  const shout = defineCommand({
    name: 'shout',
    aliases: ['yell'],
    usage: 'shout <text>',
    help: 'Shouts to every player in the world, on every shard.',
    parse: (rest) => words(rest, 'Shout'),
    run: (ctx, said) => {
      const me = ctx.player.username;
      ctx.toAll({ type: 'chat', channel: 'shout', from: me, text: said }, { except: me });
      ctx.toAll(text(`${me} shouts, '${said}'`, 'shout'), { except: me });
      ctx.reply(`You shout, '${said}'`);
    },
  });
  return [say, tell, shout, emote];
}
