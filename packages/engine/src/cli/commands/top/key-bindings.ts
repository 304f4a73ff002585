import { SORTS, VIEWS, type ViewState } from './view-state.js';

/** The keys Ink reports with a keypress that matter here (a subset of Ink's `Key`). */
export interface KeyFlags {
  readonly ctrl?: boolean;
  readonly tab?: boolean;
  readonly shift?: boolean;
  readonly escape?: boolean;
}

/** The keys, as the help panel and the footer list them. */
export const KEY_HELP: readonly (readonly [keys: string, does: string])[] = [
  ['1 2 3', 'overview, grid (nodes and shards), busiest zones'],
  ['Tab', 'next view (Shift-Tab: previous)'],
  ['s', 'sort the tables: players, load, name'],
  ['?', 'this help (Esc closes it)'],
  ['q', 'quit (also Ctrl-C)'],
];

/**
 * What a keypress does: the next view state, or `quit`. Unknown keys change nothing, so a stray
 * keypress over a slow SSH link is harmless.
 */
export function applyKey(state: ViewState, input: string, key: KeyFlags): ViewState | 'quit' {
  if (input === 'q' || input === 'Q' || (key.ctrl === true && (input === 'c' || input === 'd')))
    return 'quit';
  if (key.tab === true) {
    const step = key.shift === true ? VIEWS.length - 1 : 1;
    return { ...state, view: VIEWS[(VIEWS.indexOf(state.view) + step) % VIEWS.length]! };
  }
  if (key.escape === true) return state.help ? { ...state, help: false } : state;
  const picked = VIEWS[Number(input) - 1];
  if (/^[1-9]$/.test(input) && picked !== undefined) return { ...state, view: picked };
  if (input === 's' || input === 'S')
    return { ...state, sort: SORTS[(SORTS.indexOf(state.sort) + 1) % SORTS.length]! };
  if (input === '?' || input === 'h') return { ...state, help: !state.help };
  return state;
}
