import type { WsSession } from '@leviathan/loadgen';
import type { CoastPlayer } from '../player.js';
import { answerText, done } from '../replies.js';

/** `flee` succeeds two times in three (docs/mud.md, Combat): six tries fail once in 729. */
const FLEE_TRIES = 6;

type Outcome = 'won' | 'died' | 'fighting';

/**
 * Resolves when a line on this player's screen ends the fight: the creature's death ("The red
 * fox dies.": the whole room is told, whoever struck last) or the player's ("The conger eel kills
 * you!"); 'fighting' when neither came within `ms`. Listening with `ws.on`, not `ws.waitFor`: a
 * fight still going on is an outcome here, not a timeout of the load generator's.
 */
function fightEnd(ws: WsSession, word: string, ms: number): { outcome: Promise<Outcome>; cancel(): void } {
  let finish: (o: Outcome) => void = () => {};
  const outcome = new Promise<Outcome>((resolve) => {
    finish = resolve;
  });
  const off = ws.on('text', (m) => {
    if (m.text.endsWith(' kills you!')) finish('died');
    else if (m.text.endsWith(' dies.') && m.text.includes(word)) finish('won');
  });
  const timer = setTimeout(() => finish('fighting'), ms);
  const cancel = () => {
    clearTimeout(timer);
    off();
  };
  void outcome.then(cancel);
  return { outcome, cancel: () => finish('fighting') };
}

/**
 * Out of any fight: `flee` until it works (the player runs through a random exit) or the answer
 * says there is no fight. False when every try was blocked.
 */
export async function leaveFight({ vu, ws }: CoastPlayer): Promise<boolean> {
  for (let i = 0; i < FLEE_TRIES; i++) {
    const fled = await ws.command('flee');
    const text = answerText(fled);
    if (text.includes('not fighting') || (done(fled) && text.startsWith('You flee'))) return true;
    if (!text.includes('blocks your way')) {
      vu.check(fled, { 'fled the fight': done });
      return false;
    }
  }
  return false;
}

/**
 * From the trade's room to the route's creature that fights, sizes it up (`consider`) and
 * attacks it (`kill`): the fight's rounds come on the shard's tick, every 2 s, until it dies or
 * the player does (who wakes at the spawn); after `fightMs` the player flees instead. The
 * creatures are one of each in the world and shared by the pairs: one another pair killed (back
 * after its respawn, two minutes) or that wandered off is found gone (`coast_prey_gone`), which
 * is not a failure. `coast_fights` counts the fights begun, `coast_kills` the creatures killed.
 */
export async function fight(player: CoastPlayer): Promise<void> {
  const { vu, ws, route, fightMs } = player;
  const { prey } = route;
  for (const move of prey.moves) {
    if (!vu.check(await ws.command(move), { 'went to the prey': done }))
      throw new Error(`${route.name}: "${move}" towards ${prey.room} was refused`);
  }
  const gone = (m: Parameters<typeof answerText>[0]) => answerText(m).startsWith('You see no');
  const sized = await ws.command(`consider ${prey.word}`);
  if (gone(sized)) {
    vu.metrics.counter('coast_prey_gone').add(1);
    return;
  }
  vu.check(sized, { 'sized up the prey': done });
  const end = fightEnd(ws, prey.word, fightMs);
  const attacked = await ws.command(`kill ${prey.word}`);
  if (!done(attacked)) {
    end.cancel();
    // Killed by the partner or another pair a moment ago: as good as gone.
    if (gone(attacked)) vu.metrics.counter('coast_prey_gone').add(1);
    else vu.check(attacked, { attacked: done });
    return;
  }
  vu.metrics.counter('coast_fights').add(1);
  const outcome = await end.outcome;
  if (outcome === 'won') vu.metrics.counter('coast_kills').add(1);
  if (outcome === 'fighting') vu.check(await leaveFight(player), { 'left the fight': (ok) => ok });
}
