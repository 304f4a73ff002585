import type { FigureLevel } from '../../../metrics/figures.js';

/**
 * The colour of a level, from the 16 basic ANSI colours only: a terminal over SSH, in tmux or on
 * a Linux console has those, when true colour or 256 colours may not be there.
 */
export function levelColour(level: FigureLevel): 'green' | 'yellow' | 'red' | undefined {
  switch (level) {
    case 'ok':
      return 'green';
    case 'warn':
      return 'yellow';
    case 'crit':
      return 'red';
    case 'none':
      return undefined;
  }
}
