import { defineCommand, defineGame } from '@leviathan/engine';

/** The benchmark's game: one zone per shard and an `echo` command, the engine's cheapest round trip. */
export default defineGame({
  name: 'bench-echo',
  zones: [{ id: 'z0' }, { id: 'z1' }, { id: 'z2' }, { id: 'z3' }],
  start: (username) => ({ zone: `z${Number(username.replace(/\D/g, '') || 0) % 4}` }),
  commands: [defineCommand({ name: 'echo', run: (ctx, rest) => ctx.reply(rest) })],
});
