import type { CoastPlayer } from '../player.js';
import { done } from '../replies.js';

/**
 * Walks the pair's route from the spawn, one move per command, across the border into a zone of
 * another shard (the engine hands the character over between shard threads on that move).
 */
export async function walk({ vu, ws, route }: CoastPlayer): Promise<void> {
  for (const move of route.moves) {
    const answer = await ws.command(move);
    // A refused move leaves the character off its route: the rest of the round would only count
    // failures of the scenario, not of the server. The next round starts with a tidy-up.
    if (!vu.check(answer, { moved: done })) throw new Error(`${route.name}: "${move}" was refused`);
  }
}
