import type { GameDefinition } from '../../../packages/engine/src/game/game-definition.js';
import { defineCommand, defineGame, InputWriter, Shard } from './engine-internals.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** A game with one zone, one room, and the engine's cheapest command (`echo`). */
export const ECHO_GAME: GameDefinition = defineGame({
  name: 'bench-shard',
  zones: [{ id: 'z0' }],
  start: { zone: 'z0', room: 'hall' },
  commands: [defineCommand({ name: 'echo', run: (ctx, rest) => ctx.reply(rest) })],
});

/** A shard (shard 0 of 1, one gateway) with `players` joined, after its first tick. */
export function shardWithPlayers(players: number): Shard {
  const rt = new Shard({
    index: 0,
    count: 1,
    gateways: 1,
    game: ECHO_GAME,
    gameOptions: undefined,
    zoneMap: { z0: 0 },
    log: silent,
    now: () => 1_000,
  });
  const joins = new InputWriter();
  for (let conn = 0; conn < players; conn++) {
    joins.join({
      conn,
      username: `p${conn}`,
      session: `s${conn}`,
      roles: [],
      capabilities: [],
      since: 0,
      snapshot: null,
      restore: false,
    });
  }
  rt.receiveInput(0, joins.take());
  rt.tick(1, 1_000, 100);
  if (rt.playerCount !== players) throw new Error(`joined ${rt.playerCount} of ${players} players`);
  return rt;
}
