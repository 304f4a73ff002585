/**
 * The Drowned Coast under load: pairs of players log in to the MUD (examples/mud, development
 * logins), walk from the harbour (shard 0) into the marsh or the forest (shard 1), look, talk
 * (say, and a tell to the partner, who checks it arrived), trade (one takes an item from the
 * world, hands it over, gets it back and puts it down) and fight (the zone's frog, fox or conger
 * eel: consider, kill, and flee when it lasts), then go home; round after round for
 * COAST_DURATION with COAST_VUS players (see drowned-coast/config.ts). Each activity is a step
 * in drowned-coast/steps/ run in a group of its name, with a command p99 bar of its own.
 *
 *   LEVIATHAN_URL=ws://127.0.0.1:8080/ws leviathan-load run src/drowned-coast.ts
 */
import type { Options, Vu } from '@leviathan/loadgen';
import { coastConfig } from './drowned-coast/config.js';
import { finishRound, playerFor } from './drowned-coast/player.js';
import { STEPS } from './drowned-coast/steps/index.js';

const config = coastConfig();

const perStep = Object.fromEntries(
  STEPS.map((s) => [`ws_cmd_duration{group:::${s.name}}`, [`p(99)<${config.cmdP99Ms}`]]),
);

export const options: Options = {
  vus: config.vus,
  duration: config.duration,
  thresholds: {
    ws_cmd_duration: [`p(99)<${config.cmdP99Ms}`],
    ...perStep,
    checks: ['rate>0.99'],
    iteration_errors: ['count==0'],
    ws_errors: ['count==0'],
    ws_timeouts: ['count==0'],
    // Trades happened at all: a scenario whose pairs never met would otherwise pass on its walks.
    coast_trades: ['count>0'],
  },
};

export default async function (vu: Vu): Promise<void> {
  const player = await playerFor(vu, config);
  for (const step of STEPS) await vu.group(step.name, () => step.run(player));
  finishRound(vu);
  await vu.sleep(config.pauseMs);
}
