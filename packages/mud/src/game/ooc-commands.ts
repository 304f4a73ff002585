import { defineCommand } from '@leviathan/engine';
import { oocLine, renderOocHistory } from '../render/ooc-text.js';
import { type MudRuntime, text } from './mud-runtime.js';
import type { AnyCommand } from './mud-state.js';
import { OOC_HISTORY_LINES, OOC_TOPICS, type OocLine } from './ooc-history.js';
import { words } from './talk-commands.js';

/**
 * `ooc <text>`: out-of-character talk to every player, on every shard, through the engine's
 * broadcast (`ctx.toAll`, as `shout`); `ooc` alone or `ooc history`: the last lines said, with who
 * and when, also those said before the player logged in, on any shard. The line goes into this
 * shard's history at once and is told to the other shards (`ctx.tellShards`), which add it at
 * their next tick (ooc-shards.ts): every shard keeps the world's history (OocHistory).
 */
export function oocCommands(mud: MudRuntime): AnyCommand[] {
  const ooc = defineCommand({
    name: 'ooc',
    usage: 'ooc <text> | ooc [history]',
    help: `Talks out of character to every player in the world, on every shard. Alone, or as "ooc history", shows the last ${OOC_HISTORY_LINES} lines said, with who and when.`,
    // undefined: the history. Text goes through the same checks as every other talk.
    parse: (rest): string | undefined =>
      rest.trim() === '' || rest.trim().toLowerCase() === 'history' ? undefined : words(rest.trim(), 'Say'),
    run: (ctx, said) => {
      if (said === undefined) {
        const lines = mud.ooc.recent();
        ctx.reply(
          renderOocHistory(lines, ctx.now),
          lines.map((l) => ({ from: l.from, text: l.text, at: l.at })),
        );
        return;
      }
      const me = ctx.player.username;
      const line: OocLine = { from: me, text: said, at: ctx.now };
      // First: past the engine's 100 messages per shard per tick (a flood from many players at
      // once) the line is refused whole, not kept and heard here only.
      try {
        ctx.tellShards(OOC_TOPICS.line, { ...line });
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
        ctx.fail('The OOC channel is too busy this moment; say it again.');
        return;
      }
      mud.ooc.add(line);
      ctx.toAll({ type: 'chat', channel: 'ooc', from: me, text: said }, { except: me });
      ctx.toAll(text(oocLine(me, said), 'ooc'), { except: me });
      ctx.reply(oocLine(me, said));
    },
  });
  return [ooc];
}
