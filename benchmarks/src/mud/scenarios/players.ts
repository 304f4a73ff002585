import type { Options, Vu } from '@leviathan/loadgen';
import { COMMAND_GAP_MS, COMMAND_TIMEOUT_MS, LOGINS_PER_SECOND } from '../load-shape.js';
import type { BenchRoute } from '../routes.js';

/**
 * The MUD macro benchmark's players (index.ts): MUD_BENCH_PLAYERS of them log in, LOGINS_PER_SECOND
 * a second, to the Drowned Coast's spawn (shard 0), and play until the benchmark stops the test.
 * Player n walks to room n of the routes (MUD_BENCH_ROUTES: every room on the other shard,
 * round-robin), one move per command, looks, talks (`say`), sizes up a rat (`consider`) and
 * fights it (`kill`, then `recall` until the fight is over and it is refused no more: a fight holds
 * its player), then starts again from the spawn. A player sends a command every COMMAND_GAP_MS
 * on average (drawn between half and one and a half of it, so that commands fall anywhere in a
 * tick); half of them ask for structured events and batched frames, as the web client does.
 *
 * Read from the environment at import, before any VU runs: the benchmark sets MUD_BENCH_* in its
 * own process before it starts the load generator, which imports this module then (nothing else
 * may import it earlier: the load's constants are in load-shape.ts). The players' count is the
 * same in every run of the suite within one process.
 */
const PLAYERS = Number(process.env.MUD_BENCH_PLAYERS ?? 0);
/** Tries of `recall` while a fight goes on, before the player flees it. */
const RECALLS_IN_A_FIGHT = 4;

const routes = JSON.parse(process.env.MUD_BENCH_ROUTES ?? '[]') as BenchRoute[];

export const options: Options = {
  scenarios: {
    players: {
      executor: 'per-vu-iterations',
      vus: PLAYERS,
      iterations: 1,
      maxDuration: '30m',
      gracefulStop: '0s',
    },
  },
};

type Session = Awaited<ReturnType<Vu['connect']>>;
type Answer = Awaited<ReturnType<Session['command']>>;

function answerText(m: Answer | undefined): string {
  if (m === undefined) return '';
  return m.type === 'reply' ? (m.text ?? '') : m.message;
}

/** A pause of COMMAND_GAP_MS on average. */
function think(vu: Vu): Promise<void> {
  return vu.sleep(COMMAND_GAP_MS * (0.5 + Math.random()));
}

/**
 * Sends a command after a pause; undefined when it was not answered in time (counted in
 * `mud_unanswered`). Refusals (`ok: false`, an `error`) are answers: a rat already dead, a recall
 * refused in a fight.
 */
async function command(vu: Vu, ws: Session, line: string): Promise<Answer | undefined> {
  await think(vu);
  let answer: Answer | undefined;
  try {
    answer = await ws.command(line, { timeoutMs: COMMAND_TIMEOUT_MS });
  } catch {
    answer = undefined;
  }
  if (answer === undefined) vu.metrics.counter('mud_unanswered').add(1);
  return answer;
}

function done(m: Answer | undefined): boolean {
  return m?.type === 'reply' && m.ok;
}

/**
 * Fights the first rat of the room, if one is there (a fight holds the player until it ends);
 * true when the player went home at its end.
 */
async function fight(vu: Vu, ws: Session): Promise<boolean> {
  const sized = await command(vu, ws, 'consider rat');
  const attacked = done(sized) ? await command(vu, ws, 'kill rat') : undefined;
  if (!done(attacked)) {
    // Killed by other players a moment ago: back in a few seconds.
    vu.metrics.counter('mud_no_prey').add(1);
    return false;
  }
  vu.metrics.counter('mud_fights').add(1);
  for (let i = 0; i < RECALLS_IN_A_FIGHT; i++) {
    if (done(await command(vu, ws, 'recall'))) return true;
  }
  // Still fighting (or every recall went unanswered): run, then go home.
  vu.metrics.counter('mud_fled').add(1);
  for (let i = 0; i < RECALLS_IN_A_FIGHT; i++) {
    const fled = await command(vu, ws, 'flee');
    if (done(fled) && answerText(fled).startsWith('You flee')) break;
    if (answerText(fled).includes('not fighting')) break;
  }
  return false;
}

export default async function player(vu: Vu): Promise<void> {
  if (routes.length === 0) throw new Error('MUD_BENCH_ROUTES is not set');
  await vu.sleep((vu.id - 1) * (1000 / LOGINS_PER_SECOND));
  const ws = await vu.connect(process.env.MUD_BENCH_URL as string, { timeoutMs: 60_000 });
  const answer = await ws.auth(
    vu.id % 2 === 0
      ? { username: `p${vu.id}`, token: 'test-token', capabilities: ['events', 'batch'] }
      : { username: `p${vu.id}`, token: 'test-token' },
    { timeoutMs: 60_000 },
  );
  vu.check(answer, { 'logged in': (m) => m.type === 'auth-ok' });
  if (answer.type !== 'auth-ok') throw new Error(`p${vu.id} could not log in: ${JSON.stringify(answer)}`);
  const route = routes[(vu.id - 1) % routes.length] as BenchRoute;
  for (;;) {
    for (const move of route.moves) {
      const moved = await command(vu, ws, move);
      vu.check(moved, { moved: done });
      if (!done(moved)) break;
    }
    vu.metrics.counter('mud_walks').add(1);
    await command(vu, ws, 'look');
    vu.check(await command(vu, ws, `say Hail from p${vu.id}.`), { said: done });
    // Back to the spawn, on the other shard.
    if (!(await fight(vu, ws))) await command(vu, ws, 'recall');
  }
}
