import { UsageError } from '@leviathan/loadgen';

/**
 * The load level and the bars of the Drowned Coast scenario, from the environment (or
 * `leviathan-load run --env K=V`), with small defaults that fit a CI job on a shared runner.
 */
export interface CoastConfig {
  /** VUs, in pairs (each trades with its partner). `COAST_VUS`, default 8. */
  vus: number;
  /** How long the VUs play. `COAST_DURATION`, default `30s`. */
  duration: string;
  /** Bar for the p99 of every command, overall and per step, in ms. `COAST_CMD_P99_MS`, default 500. */
  cmdP99Ms: number;
  /** A player's pause at the end of each round, in ms. `COAST_PAUSE_MS`, default 500. */
  pauseMs: number;
  /** How long a VU waits for its partner (a tell, a handed item) before it counts a failed check. `COAST_PARTNER_WAIT_MS`, default 5000. */
  partnerWaitMs: number;
  /** How long a VU fights before it flees (a fight holds its player), in ms. `COAST_FIGHT_MS`, default 6000: three rounds. */
  fightMs: number;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${name}=${raw}: expected an integer >= ${min}`);
  return n;
}

export function coastConfig(env: NodeJS.ProcessEnv = process.env): CoastConfig {
  const vus = integer(env, 'COAST_VUS', 8, 2);
  // Every VU has a partner: an odd count would leave the last one waiting for nobody, and every
  // round of it would count failed checks that say nothing about the server.
  if (vus % 2 !== 0) throw new UsageError(`COAST_VUS=${vus}: expected an even number (VUs play in pairs)`);
  return {
    vus,
    duration: env.COAST_DURATION || '30s',
    cmdP99Ms: integer(env, 'COAST_CMD_P99_MS', 500, 1),
    pauseMs: integer(env, 'COAST_PAUSE_MS', 500, 0),
    partnerWaitMs: integer(env, 'COAST_PARTNER_WAIT_MS', 5000, 100),
    fightMs: integer(env, 'COAST_FIGHT_MS', 6000, 0),
  };
}
