import type { CoastPlayer } from '../player.js';
import { answerText, done } from '../replies.js';

/** How often the leader tries `get` and `give` while waiting (for the item, for the partner). */
const RETRY_MS = 250;

/**
 * The pair trades in the route's last room: the leader takes the room's item from the world,
 * hands it to the partner, the partner checks its inventory shows it and hands it back, and the
 * leader puts it down where it was, so the world is as before for the next round. The counter
 * `coast_trades` counts the round trips completed.
 */
export async function trade(player: CoastPlayer): Promise<void> {
  if (player.pair.leads) await lead(player);
  else await follow(player);
}

async function lead({ vu, ws, pair, route, inbox, partnerWaitMs }: CoastPlayer): Promise<void> {
  const until = performance.now() + partnerWaitMs;
  // Another pair on the same route (more than four pairs) may hold the item for a moment.
  const taken = await retry(
    () => ws.command(`get ${route.item}`),
    (m) => done(m) || !answerText(m).startsWith('You see no'),
    until,
  );
  if (!vu.check(taken, { 'took the item': (m) => m !== undefined && done(m) })) return;
  // The partner may still be walking: the give is refused until it stands in the room.
  const given = await retry(
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
  // Put back what the leader holds (unless the partner kept it: then the partner's next tidy-up
  // drops it at the spawn, and the room's item respawns).
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
  vu.check(await ws.command(`give ${route.item} to ${pair.partner}`), { 'gave the item back': done });
}

/**
 * Sends `attempt` until its answer is `final` or `until` (performance.now() ms) passes; the last
 * answer, or undefined when the time was up before any final one.
 */
async function retry<T>(
  attempt: () => Promise<T>,
  final: (answer: T) => boolean,
  until: number,
): Promise<T | undefined> {
  for (;;) {
    const answer = await attempt();
    if (final(answer)) return answer;
    if (performance.now() + RETRY_MS > until) return undefined;
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}
