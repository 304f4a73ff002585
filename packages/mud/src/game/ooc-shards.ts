import type { GameContext, SystemDefinition } from '@leviathan/engine';
import type { JsonValue } from '@leviathan/protocol';
import type { MudRuntime } from './mud-runtime.js';
import { OOC_TOPICS, oocLineOf } from './ooc-history.js';

/**
 * How the shards keep one `ooc` history between them, over the engine's channel between shards
 * (`ctx.tellShards`, `GameDefinition.onShardMessage`), which is live, not a store: a line said
 * goes to every other shard (ooc-commands.ts); a shard that starts (the world's start, a restart
 * after a crash, a cluster node joining) asks the others once, and each that keeps lines answers
 * with them, so a restarted shard gets the history back a few ticks after it starts.
 */

/** Asks the other shards for their history at this shard's first tick. */
export function oocCatchUpSystem(mud: MudRuntime): SystemDefinition {
  let asked = false;
  return {
    name: 'mud-ooc-catch-up',
    run: (ctx) => {
      if (asked) return;
      asked = true;
      // Nobody answers at the world's first start (nothing said yet): a message per shard, once.
      if (mud.ooc.recent().length === 0) ctx.tellShards(OOC_TOPICS.ask, null);
    },
  };
}

/**
 * What another shard told this one (GameDefinition.onShardMessage) about the `ooc` channel: a line
 * goes into the history, a question is answered, an answer merged. False for another topic. Data
 * of another shape (a node of another version of the MUD, say) is left out, not shown broken.
 */
export function oocHeard(mud: MudRuntime, topic: string, data: JsonValue, ctx: GameContext): boolean {
  switch (topic) {
    case OOC_TOPICS.line: {
      const line = oocLineOf(data);
      if (line !== undefined) mud.ooc.add(line);
      return true;
    }
    case OOC_TOPICS.ask: {
      const lines = mud.ooc.recent();
      // Every other shard gets the answer too, and merges what it lacks (the same lines, mostly).
      if (lines.length > 0)
        ctx.tellShards(
          OOC_TOPICS.history,
          lines.map((l) => ({ ...l })),
        );
      return true;
    }
    case OOC_TOPICS.history: {
      if (!Array.isArray(data)) return true;
      for (const item of data) {
        const line = oocLineOf(item);
        if (line !== undefined) mud.ooc.merge(line);
      }
      return true;
    }
    default:
      return false;
  }
}
