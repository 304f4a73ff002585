import type { CoastPlayer } from '../player.js';
import { answerText, done } from '../replies.js';

/**
 * Back to the spawn with `recall`: another crossing, from the far shard's zone to the harbour's.
 * A player the fight killed woke at the spawn already: "already there" is as good.
 */
export async function goHome({ vu, ws }: CoastPlayer): Promise<void> {
  vu.check(await ws.command('recall'), {
    'went home': (m) => done(m) || answerText(m).includes('already there'),
  });
}
