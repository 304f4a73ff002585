/** A filled cell and an empty one: full blocks on a light shade, legible without colour. */
const FULL = '█';
const EMPTY = '░';

/**
 * A meter's bar of `width` cells, `fill` (0..1, from the snapshot) of them full. A fill that is
 * above zero shows at least one cell, so "a little" never reads as "nothing"; `null` (no value)
 * is an empty bar.
 */
export function meterBar(fill: number | null, width: number): { full: string; empty: string } {
  if (width <= 0) return { full: '', empty: '' };
  const share = fill === null || !Number.isFinite(fill) ? 0 : Math.min(1, Math.max(0, fill));
  let cells = Math.round(share * width);
  if (share > 0 && cells === 0) cells = 1;
  return { full: FULL.repeat(cells), empty: EMPTY.repeat(width - cells) };
}
