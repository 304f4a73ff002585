import { defineCommand, defineGame } from '@leviathan/engine';

/** The transport suite's game: two zones, an `echo` command (the engine's cheapest round trip). */
export default defineGame({
  name: 'transport-echo',
  zones: [{ id: 'z0' }, { id: 'z1' }],
  start: (username) => ({ zone: `z${Number(username.replace(/\D/g, '') || 0) % 2}` }),
  commands: [defineCommand({ name: 'echo', run: (ctx, rest) => ctx.reply(rest) })],
});
