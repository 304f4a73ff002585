/** One line of the who list. */
export interface WhoLine {
  name: string;
  /** Where they are, as a player reads it: the zone's name. */
  where: string;
  roles: readonly string[];
  /** Seconds since login. */
  onlineSec: number;
  /** True for a character whose connection dropped and who waits for it to come back. */
  linkDead?: boolean;
}

/** Which page of the who list `lines` are, when everyone does not fit on one. */
export interface WhoPage {
  /** Players in the whole list. */
  total: number;
  /** This page, from 1. */
  page: number;
  pages: number;
}

/**
 * The order of the who list: by name, ignoring case. A plain comparison of precomputed keys, not
 * `localeCompare`: the list of a crowd is sorted once per tick, and 3,000 names sort in well under
 * a millisecond this way.
 */
export function byName(a: { name: string }, b: { name: string }): number {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * The who list: players sorted by name, with where they are and for how long; everyone, or one
 * page of a crowd with the way to the next.
 */
export function renderWho(lines: readonly WhoLine[], worldName: string, paging?: WhoPage): string {
  const total = paging?.total ?? lines.length;
  if (total === 0) return `Nobody walks ${worldName} right now.`;
  // A page comes in order already (the whole list is sorted once for every page).
  const sorted = paging === undefined ? [...lines].sort(byName) : lines;
  const width = Math.max(...sorted.map((l) => l.name.length + (l.roles.includes('admin') ? 8 : 0)));
  const rows = sorted.map((l) => {
    const name = l.roles.includes('admin') ? `${l.name} [admin]` : l.name;
    return `  ${name.padEnd(width)}  ${l.where.padEnd(18)}  ${formatDuration(l.onlineSec)}${l.linkDead ? '  (link-dead)' : ''}`;
  });
  const walk = `${total} ${total === 1 ? 'player walks' : 'players walk'} ${worldName}`;
  if (paging === undefined || paging.pages <= 1) return [`${walk}:`, ...rows].join('\n');
  const out = [`${walk} (page ${paging.page} of ${paging.pages}):`, ...rows];
  if (paging.page < paging.pages) out.push(`Type "who ${paging.page + 1}" for the next page.`);
  return out.join('\n');
}

/** 42 → "42s", 125 → "2m", 7300 → "2h 1m". */
export function formatDuration(sec: number): string {
  const s = Math.max(0, Math.floor(sec));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}
