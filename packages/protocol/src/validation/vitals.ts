import type { VitalsMessage } from '../messages.js';

/** The figures of a `vitals` message, in the order the protocol documents them. */
const FIGURES = ['health', 'maxHealth', 'energy', 'maxEnergy', 'level', 'xp', 'toNextLevel'] as const;

/**
 * What is wrong with a `vitals` message, or undefined when it is a good one: every figure a whole
 * number of at least 0 (`level` at least 1), `health` and `energy` within their maxima. Server
 * messages are trusted by clients (parseServerFrame checks only `type`); this is for a client or a
 * bridge that draws bars from them and must not draw a bar past its end, nor NaN, from a message
 * of a newer or broken server.
 */
export function vitalsProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const v = value as Record<string, unknown>;
  if (v.type !== 'vitals') return '"type" is not "vitals"';
  for (const name of FIGURES) {
    const n = v[name];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
      return `"${name}" is not a whole number of at least 0`;
    }
  }
  const f = v as unknown as VitalsMessage;
  if (f.level < 1) return '"level" is below 1';
  if (f.health > f.maxHealth) return '"health" is above "maxHealth"';
  if (f.energy > f.maxEnergy) return '"energy" is above "maxEnergy"';
  return undefined;
}

/** Whether a value is a good `vitals` message (see vitalsProblem). */
export function isVitalsMessage(value: unknown): value is VitalsMessage {
  return vitalsProblem(value) === undefined;
}
