import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleProbe } from '../counted/bundle.js';
import { countInstructions, inParallel } from '../counted/count-instructions.js';
import { RECIPIENTS, ROOM_SIZES } from './fan-out-sizes.js';

/** Instructions per further recipient of one room broadcast, by room size (from 10 on). */
export type FanOutCost = ReadonlyMap<number, number>;

/** Measured runs repeat the chosen size's broadcasts this many times more than the warm-up. */
const MULTIPLIER = 2;

/**
 * Instructions per recipient of a room broadcast at each size of ROOM_SIZES, counted by valgrind
 * (counted/count-instructions.ts: deterministic, whatever the machine's load) in fan-out-probe.ts,
 * bundled as counted/bundle.ts does (so tsx's loader is not counted). A run broadcasts
 * RECIPIENTS × MULTIPLIER recipients' worth at one size; minus the baseline run, over its
 * broadcasts, it gives the instructions of one broadcast at that size; minus one broadcast to a
 * room of 1 (the fixed part), over the n − 1 further recipients, the cost per recipient.
 */
export async function fanOutCostPerRecipient(): Promise<FanOutCost> {
  const dir = mkdtempSync(join(tmpdir(), 'lev-crowd-'));
  try {
    const probe = join(dir, 'fan-out-probe.mjs');
    await bundleProbe(probe, new URL('./fan-out-probe.ts', import.meta.url));
    const runs: string[][] = [[], ...ROOM_SIZES.map((size) => [String(size), String(MULTIPLIER)])];
    const totals = await inParallel(
      runs.map((args) => () => countInstructions(probe, args)),
      Math.max(1, cpus().length),
    );
    const base = totals[0] as number;
    const perBroadcast = ROOM_SIZES.map(
      (size, i) => ((totals[i + 1] as number) - base) / ((RECIPIENTS / size) * MULTIPLIER),
    );
    const fixed = perBroadcast[0] as number;
    const out = new Map<number, number>();
    ROOM_SIZES.forEach((size, i) => {
      if (size > 1) out.set(size, ((perBroadcast[i] as number) - fixed) / (size - 1));
    });
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
