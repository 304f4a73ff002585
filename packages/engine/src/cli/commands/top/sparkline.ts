/** The eight block heights of a sparkline, lowest first: plain Unicode, drawn by every terminal font. */
const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * The last `width` points of `history` as block characters, right-aligned (the newest sample at
 * the right edge, as btop draws), a blank where a sample had no value. Heights run from zero to
 * the largest point shown, so a steady figure reads as a flat line and a spike stands out; all
 * zeros read as the lowest block.
 */
export function sparkline(history: readonly (number | null)[], width: number): string {
  if (width <= 0) return '';
  const shown = history.slice(-width);
  let max = 0;
  for (const point of shown) if (point !== null && Number.isFinite(point) && point > max) max = point;
  let line = ' '.repeat(width - shown.length);
  for (const point of shown) {
    if (point === null || !Number.isFinite(point)) line += ' ';
    else if (max <= 0) line += BLOCKS[0];
    else
      line +=
        BLOCKS[Math.min(BLOCKS.length - 1, Math.round((Math.max(0, point) / max) * (BLOCKS.length - 1)))];
  }
  return line;
}
