import type { CoastPlayer } from '../player.js';
import { done } from '../replies.js';

/** Back to the spawn with `recall`: another crossing, from the far shard's zone to the harbour's. */
export async function goHome({ vu, ws }: CoastPlayer): Promise<void> {
  vu.check(await ws.command('recall'), { 'went home': done });
}
