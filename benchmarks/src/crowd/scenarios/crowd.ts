import type { Options, Vu } from '@leviathan/loadgen';

/**
 * The crowd benchmark's load, in two phases on one server (CROWD_URL):
 *
 * - `alone` (from 0 to ALONE_S): one player, alone in the spawn room, sends a command every
 *   ALONE_EVERY_MS on average: the same-run reference for the cost of the crowd. The gaps are
 *   random: at a fixed 100 ms the player would send each command just after a tick (its reply
 *   comes out of one) and wait a whole tick every time.
 * - `crowd` (from CROWD_START_S): CROWD players log in to the spawn room over CROWD_RAMP_S (a launch:
 *   everyone at the same door), then stay CROWD_HOLD_S; each sends a command per second from its
 *   login on, cycling through COMMANDS (`look` most often, `who`, `inventory`). Half of them ask
 *   for structured events and batched frames, as the web client does; the other half are line
 *   clients.
 *
 * The timings are fixed here, not read from the environment: the load generator imports a
 * scenario's options once per process, and index.ts reads these constants to cut its windows.
 */
export const CROWD = 3_000;
export const ALONE_S = 10;
/** Mean time between the lone player's commands, drawn at random so they fall anywhere in a tick. */
export const ALONE_EVERY_MS = 100;
export const CROWD_START_S = ALONE_S + 4;
export const CROWD_RAMP_S = 30;
export const CROWD_HOLD_S = 35;
/** A command not answered within this long counts as unanswered. */
export const COMMAND_TIMEOUT_MS = 5_000;
const COMMANDS = ['look', 'who', 'look', 'inventory'] as const;

export const options: Options = {
  scenarios: {
    alone: {
      executor: 'constant-vus',
      vus: 1,
      duration: `${ALONE_S}s`,
      gracefulStop: '1s',
      exec: 'alone',
      tags: { phase: 'alone' },
    },
    crowd: {
      executor: 'ramping-vus',
      startTime: `${CROWD_START_S}s`,
      startVUs: 0,
      stages: [
        { duration: `${CROWD_RAMP_S}s`, target: CROWD },
        { duration: `${CROWD_HOLD_S}s`, target: CROWD },
      ],
      gracefulStop: '1s',
      exec: 'crowd',
      tags: { phase: 'crowd' },
    },
  },
};

type Session = Awaited<ReturnType<Vu['connect']>>;

async function session(vu: Vu, name: string, rich: boolean): Promise<Session> {
  let ws = vu.state.ws as Session | undefined;
  if (ws === undefined) {
    ws = await vu.connect(process.env.CROWD_URL as string, { timeoutMs: 30_000 });
    vu.state.ws = ws;
    const answer = await ws.auth(
      rich
        ? { username: name, token: 'test-token', capabilities: ['events', 'batch'] }
        : { username: name, token: 'test-token' },
      { timeoutMs: 30_000 },
    );
    if (answer.type !== 'auth-ok') throw new Error(`auth failed: ${JSON.stringify(answer)}`);
  }
  return ws;
}

async function command(vu: Vu, ws: Session, line: string): Promise<void> {
  let ok = false;
  try {
    const reply = await ws.command(line, { timeoutMs: COMMAND_TIMEOUT_MS });
    ok = reply.type === 'reply';
  } catch {
    ok = false;
  }
  vu.check(ok, { 'command answered': (v) => v });
}

export async function alone(vu: Vu): Promise<void> {
  const ws = await session(vu, 'loner', false);
  await command(vu, ws, 'look');
  await vu.sleep(ALONE_EVERY_MS * (0.5 + Math.random()));
}

export async function crowd(vu: Vu): Promise<void> {
  const ws = await session(vu, `c${vu.id}`, vu.id % 2 === 0);
  const n = (vu.state.n as number | undefined) ?? 0;
  vu.state.n = n + 1;
  await command(vu, ws, COMMANDS[n % COMMANDS.length] as string);
  await vu.sleep(1_000);
}
