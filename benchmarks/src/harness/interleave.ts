import { ratioOf } from '../bench-result.js';

export interface AlternateOptions<T> {
  /** Measured pairs (reference, subject), after the warm-up pair. Odd. */
  pairs: number;
  /** One measurement of the reference. */
  reference: () => Promise<T>;
  /** One measurement of the subject. */
  subject: () => Promise<T>;
  /**
   * A pair run first and thrown away, so that JIT compilation, connection set-up and caches of
   * both sides are done before anything is measured.
   * @default true
   */
  warmUp?: boolean;
}

/**
 * Measures a subject and its reference alternately: reference first in even pairs, subject first
 * in odd ones, so that neither always runs on a warmer or quieter machine.
 */
export async function alternate<T>(
  options: AlternateOptions<T>,
): Promise<Array<{ reference: T; subject: T }>> {
  if (!(Number.isInteger(options.pairs) && options.pairs >= 1 && options.pairs % 2 === 1))
    throw new Error(`alternate: pairs must be a positive odd number, got ${options.pairs}`);
  if (options.warmUp ?? true) {
    await options.reference();
    await options.subject();
  }
  const pairs: Array<{ reference: T; subject: T }> = [];
  for (let pair = 0; pair < options.pairs; pair++) {
    if (pair % 2 === 0) {
      const reference = await options.reference();
      pairs.push({ reference, subject: await options.subject() });
    } else {
      const subject = await options.subject();
      pairs.push({ reference: await options.reference(), subject });
    }
  }
  return pairs;
}

export interface InterleavedFigure {
  value: number;
  reference: number;
  ratio: number;
  /** Every measured pair's ratio, in order. */
  ratios: number[];
}

/**
 * The pair with the median ratio: a pair disturbed by another process on the machine moves one
 * ratio, not the figure. Value and reference come from that one pair, so the three agree.
 */
export function medianPair(
  pairs: ReadonlyArray<{ reference: number; subject: number }>,
  unit: string,
): InterleavedFigure {
  if (pairs.length === 0) throw new Error('medianPair needs at least one pair');
  const rows = pairs.map((p) => ({
    value: p.subject,
    reference: p.reference,
    ratio: ratioOf(unit, p.subject, p.reference),
  }));
  const mid = [...rows].sort((a, b) => a.ratio - b.ratio)[(rows.length - 1) >> 1] as (typeof rows)[number];
  return { ...mid, ratios: rows.map((r) => r.ratio) };
}

/** `alternate` of two measurements in `unit`, summarised by `medianPair`. */
export async function interleaved(
  options: AlternateOptions<number> & { unit: string },
): Promise<InterleavedFigure> {
  return medianPair(await alternate(options), options.unit);
}
