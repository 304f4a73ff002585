import type { CoastPlayer } from '../player.js';
import { done } from '../replies.js';

/** Looks around: the room must be the route's last one, on the other shard. */
export async function look({ vu, ws, route }: CoastPlayer): Promise<void> {
  const answer = await ws.command('look');
  vu.check(answer, {
    'in the right room': (m) => done(m) && m.type === 'reply' && (m.text ?? '').includes(route.room),
  });
}
