import type { Vu, WsSession } from '@leviathan/loadgen';
import { targetUrl } from '../login.js';
import type { CoastConfig } from './config.js';
import { PartnerInbox } from './inbox.js';
import { type Pair, pairOf } from './pairs.js';
import { answerText, done } from './replies.js';
import { type Route, routeOf } from './routes.js';
import { leaveFight } from './steps/fight.js';

/** One VU's character: its session, partner, route, and what its partner sent it. */
export interface CoastPlayer {
  vu: Vu;
  ws: WsSession;
  pair: Pair;
  route: Route;
  inbox: PartnerInbox;
  /** How long to wait for the partner before counting a failed check. */
  partnerWaitMs: number;
  /** How long to fight before fleeing (steps/fight.ts). */
  fightMs: number;
}

interface Kept {
  player?: CoastPlayer;
  /** False while a round runs: a round that threw leaves it false for the next one to tidy up. */
  roundFinished?: boolean;
}

/**
 * The VU's player, logged in once and kept across rounds (`vu.state`), as a MUD player stays
 * connected; a closed session (the server dropped it) is replaced by a new login. A round that
 * did not finish (it threw) may have left the character anywhere and holding the pair's item,
 * so the next one first brings it home and empties its hands.
 */
export async function playerFor(vu: Vu, config: CoastConfig): Promise<CoastPlayer> {
  const kept = vu.state as Kept;
  let player = kept.player;
  if (player === undefined || !player.ws.open) {
    player = await logIn(vu, config);
    kept.player = player;
    kept.roundFinished = false;
  }
  if (kept.roundFinished === false) await tidyUp(player);
  kept.roundFinished = false;
  return player;
}

/** Marks the round finished: the next one starts from the spawn with empty hands. */
export function finishRound(vu: Vu): void {
  (vu.state as Kept).roundFinished = true;
}

async function logIn(vu: Vu, { partnerWaitMs, fightMs }: CoastConfig): Promise<CoastPlayer> {
  const pair = pairOf(vu.id);
  return vu.group('login', async () => {
    const ws = await vu.connect(targetUrl());
    // Listening before the login: the partner may tell this VU something as soon as it is in.
    const inbox = new PartnerInbox(ws, pair.partner);
    const answer = await ws.auth({ username: pair.me, token: 'test-token' });
    vu.check(answer, { 'logged in': (m) => m.type === 'auth-ok' });
    if (answer.type !== 'auth-ok') throw new Error(`${pair.me} could not log in: ${JSON.stringify(answer)}`);
    return { vu, ws, pair, route: routeOf(pair.index), inbox, partnerWaitMs, fightMs };
  });
}

/**
 * Out of any fight (`flee`; "not fighting" is as good), back to the spawn (`recall`; "already
 * there" is as good) and nothing in hand (`drop all`; "you carry nothing" is as good): a
 * character kept from an earlier run of the store, or left mid-round, starts like a new one.
 */
async function tidyUp(player: CoastPlayer): Promise<void> {
  const { vu, ws } = player;
  await vu.group('tidy', async () => {
    await leaveFight(player);
    const home = await ws.command('recall');
    vu.check(home, { 'back at the spawn': (m) => done(m) || answerText(m).includes('already there') });
    const drop = await ws.command('drop all');
    vu.check(drop, { 'hands empty': (m) => done(m) || answerText(m).includes('carry nothing') });
  });
}
