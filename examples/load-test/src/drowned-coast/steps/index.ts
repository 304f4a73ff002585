import type { CoastPlayer } from '../player.js';
import { fight } from './fight.js';
import { goHome } from './go-home.js';
import { look } from './look.js';
import { talk } from './talk.js';
import { trade } from './trade.js';
import { walk } from './walk.js';

/** One activity of a round: run in a `vu.group` of its name, so its samples carry `group: ::<name>`. */
export interface Step {
  name: string;
  run: (player: CoastPlayer) => Promise<void>;
}

/**
 * A round of the Drowned Coast, in order. Each step starts where the one before left the
 * character (the last one brings it home); a new activity is one more file here and one more
 * entry, and its name gets a command p99 threshold of its own.
 */
export const STEPS: readonly Step[] = [
  { name: 'walk', run: walk },
  { name: 'look', run: look },
  { name: 'talk', run: talk },
  { name: 'trade', run: trade },
  { name: 'fight', run: fight },
  { name: 'home', run: goHome },
];
