import type { GameDefinition } from '../../../packages/engine/src/game/game-definition.js';
import { defineCommand, defineGame, InputOp, ShardRuntime } from './engine-internals.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** A game with one zone, one room, and the engine's cheapest command (`echo`). */
export const ECHO_GAME: GameDefinition = defineGame({
  name: 'bench-shard',
  zones: [{ id: 'z0' }],
  start: { zone: 'z0', room: 'hall' },
  commands: [defineCommand({ name: 'echo', run: (ctx, rest) => ctx.reply(rest) })],
});

/** A shard runtime (shard 0 of 1, one gateway) with `players` joined, as the shard worker runs it. */
export function shardWithPlayers(players: number): ShardRuntime {
  const rt = new ShardRuntime({
    index: 0,
    count: 1,
    gateways: 1,
    game: ECHO_GAME,
    gameOptions: undefined,
    zoneMap: { z0: 0 },
    log: silent,
    now: () => 1_000,
  });
  const joins: unknown[] = [];
  for (let conn = 0; conn < players; conn++) {
    joins.push(InputOp.Join, conn, `p${conn}`, `s${conn}`, [], [], 0, null, false);
  }
  rt.beginTick(1, 1_000, 100);
  rt.applyInput(0, joins);
  rt.runSystems();
  rt.takeOutput(0, 0, 100);
  rt.takeState();
  if (rt.playerCount !== players) throw new Error(`joined ${rt.playerCount} of ${players} players`);
  return rt;
}
