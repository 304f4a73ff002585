import type { JsonValue } from '@leviathan/protocol';
import type { GameContext, GameLogger } from '../game/context.js';
import type { GameDefinition } from '../game/game-definition.js';
import {
  decodeShardMessage,
  encodeShardMessage,
  SHARD_MESSAGES_PER_TICK,
  type ShardMessageRecord,
} from '../ipc/shard-message.js';

/**
 * A shard's end of the channel between the game's shards: what the game tells the others
 * (`ctx.tellShards`), checked and encoded at once so a bad message fails where it is sent, and
 * taken with the tick's state batch; and what the others told, handed to the game's
 * `onShardMessage` at the start of a tick, in the order main relayed it.
 */
export class ShardMessages {
  readonly #index: number;
  readonly #game: GameDefinition;
  readonly #log: GameLogger;
  readonly #failed: () => void;
  #outbox: ShardMessageRecord[] = [];

  /** `failed` counts a handler that threw (as a failing system is counted). */
  constructor(index: number, game: GameDefinition, log: GameLogger, failed: () => void) {
    this.#index = index;
    this.#game = game;
    this.#log = log;
    this.#failed = failed;
  }

  send(topic: string, data: JsonValue): void {
    if (this.#outbox.length >= SHARD_MESSAGES_PER_TICK)
      throw new RangeError(
        `ctx.tellShards("${topic}"): this shard already sent ${SHARD_MESSAGES_PER_TICK} messages this tick, the most a tick may send`,
      );
    this.#outbox.push(encodeShardMessage(this.#index, topic, data));
  }

  /** This tick's messages, for the state batch. */
  take(): ShardMessageRecord[] {
    const out = this.#outbox;
    this.#outbox = [];
    return out;
  }

  /** Hands other shards' messages to the game, one by one; a handler that throws stops only itself. */
  deliver(records: readonly ShardMessageRecord[], ctx: GameContext): void {
    const handler = this.#game.onShardMessage;
    if (handler === undefined) return;
    for (const record of records) {
      try {
        handler(record.topic, decodeShardMessage(record), ctx, record.from);
      } catch (err) {
        this.#failed();
        this.#log.error({ err, topic: record.topic, from: record.from }, 'onShardMessage failed');
      }
    }
  }
}
