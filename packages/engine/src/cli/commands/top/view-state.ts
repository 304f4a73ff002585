/** The views of `leviathan top`, in the order Tab cycles them and keys 1, 2, 3 pick them. */
export const VIEWS = ['overview', 'grid', 'zones'] as const;
export type TopView = (typeof VIEWS)[number];

/** How the grid and zone tables are ordered, in the order `s` cycles them. */
export const SORTS = ['players', 'load', 'name'] as const;
export type TopSort = (typeof SORTS)[number];

/** What the person at the terminal chose: the one piece of state the keys change. */
export interface ViewState {
  readonly view: TopView;
  readonly sort: TopSort;
  /** The help panel is open. */
  readonly help: boolean;
}

export const INITIAL_VIEW_STATE: ViewState = { view: 'overview', sort: 'players', help: false };
