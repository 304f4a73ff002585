import type { Vu } from '@leviathan/loadgen';
import type { CoastPlayer } from '../player.js';
import { answerText, done } from '../replies.js';

/** How often the leader tries `get` and `give` while waiting (for the item, for the partner). */
const RETRY_MS = 250;

/**
 * The pair trades in the route's last room: the leader takes the room's item from the world,
 * hands it to the partner, the partner checks its inventory shows it and hands it back, and the
 * leader puts it down where it was, so the world is as before for the next round. The counter
 * `coast_trades` counts the round trips completed. (Not quite as before: the MUD's `drop` does
 * not give an item back its home room, so the room's own copy counts as taken and respawns
 * `respawnSec`, 120 s by default, later; a run longer than that adds about one copy per room
 * every 120 s, up to the MUD's floor limit of 30.)
 */
export async function trade(player: CoastPlayer): Promise<void> {
  if (player.pair.leads) await lead(player);
  else await follow(player);
}

async function lead({ vu, ws, pair, route, inbox, partnerWaitMs }: CoastPlayer): Promise<void> {
  const until = performance.now() + partnerWaitMs;
  // Another pair on the same route (more than four pairs) may hold the item for a moment.
  const taken = await retry(
    vu,
    () => ws.command(`get ${route.item}`),
    (m) => done(m) || !answerText(m).startsWith('You see no'),
    until,
  );
  if (!vu.check(taken, { 'took the item': (m) => m !== undefined && done(m) })) return;
  // The partner may still be walking: the give is refused until it stands in the room.
  const given = await retry(
    vu,
    () => ws.command(`give ${route.item} to ${pair.partner}`),
    (m) => done(m) || !answerText(m).startsWith('There is nobody called'),
    until,
  );
  const handed = vu.check(given, { 'gave the item': (m) => m !== undefined && done(m) });
  if (handed) {
    const back = await inbox.take((m) => m.text.includes(`gives you ${route.itemName}`), partnerWaitMs);
    if (vu.check(back, { 'got the item back': (m) => m !== undefined }))
      vu.metrics.counter('coast_trades').add(1);
  }
  // Put back what the leader holds (when the partner did not hand it back, the partner drops it).
  const inventory = await ws.command('inventory');
  if (answerText(inventory).includes(route.itemName))
    vu.check(await ws.command(`drop ${route.item}`), { 'put the item back': done });
}

async function follow({ vu, ws, pair, route, inbox, partnerWaitMs }: CoastPlayer): Promise<void> {
  const received = await inbox.take(
    (m) => m.text.includes(`gives you ${route.itemName}`),
    // The leader may itself wait its whole bound for the item before it gives it.
    2 * partnerWaitMs,
  );
  if (!vu.check(received, { 'received the item': (m) => m !== undefined })) return;
  const inventory = await ws.command('inventory');
  vu.check(inventory, {
    'inventory shows the item': (m) => done(m) && answerText(m).includes(route.itemName),
  });
  const returned = await ws.command(`give ${route.item} to ${pair.partner}`);
  // A leader that stopped waiting has gone: the item goes back on the floor it came from, or the
  // room would lack it (and the leader's next `get` fail) until the world respawns it.
  if (!vu.check(returned, { 'gave the item back': done }))
    vu.check(await ws.command(`drop ${route.item}`), { 'put the item back': done });
}

/**
 * Sends `attempt` until its answer is `final` or `until` (performance.now() ms) passes; the last
 * answer, or undefined when the time was up before any final one. The pause is `vu.sleep`, so a
 * generator late to wake shows in the next attempt's latency, as everywhere in loadgen.
 */
async function retry<T>(
  vu: Vu,
  attempt: () => Promise<T>,
  final: (answer: T) => boolean,
  until: number,
): Promise<T | undefined> {
  for (;;) {
    const answer = await attempt();
    if (final(answer)) return answer;
    if (performance.now() + RETRY_MS > until) return undefined;
    await vu.sleep(RETRY_MS);
  }
}
