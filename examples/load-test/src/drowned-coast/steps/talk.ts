import type { CoastPlayer } from '../player.js';
import { done } from '../replies.js';

/**
 * Says something to the room, then tells the partner something (a tell reaches a player anywhere,
 * on any shard) and waits, bounded, for the partner's own tell: both of the pair do the same, so
 * each should find one. A partner that is late or gone is a failed check, not a hang.
 */
export async function talk({ vu, ws, pair, inbox, partnerWaitMs }: CoastPlayer): Promise<void> {
  vu.check(await ws.command(`say Fair winds from ${pair.me}.`), { said: done });
  vu.check(await ws.command(`tell ${pair.partner} Round ${vu.iteration}, see you here.`), { told: done });
  const heard = await inbox.take((m) => m.text.startsWith(`${pair.partner} tells you`), partnerWaitMs);
  vu.check(heard, { 'heard the partner': (m) => m !== undefined });
}
