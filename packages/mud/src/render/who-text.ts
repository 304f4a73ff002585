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

/** The who list: everyone on every shard, sorted by name, with where they are and for how long. */
export function renderWho(lines: readonly WhoLine[], worldName: string): string {
  if (lines.length === 0) return `Nobody walks ${worldName} right now.`;
  const sorted = [...lines].sort((a, b) => a.name.localeCompare(b.name));
  const width = Math.max(...sorted.map((l) => l.name.length + (l.roles.includes('admin') ? 8 : 0)));
  const rows = sorted.map((l) => {
    const name = l.roles.includes('admin') ? `${l.name} [admin]` : l.name;
    return `  ${name.padEnd(width)}  ${l.where.padEnd(18)}  ${formatDuration(l.onlineSec)}${l.linkDead ? '  (link-dead)' : ''}`;
  });
  const n = sorted.length;
  return [`${n} ${n === 1 ? 'player walks' : 'players walk'} ${worldName}:`, ...rows].join('\n');
}

/** 42 → "42s", 125 → "2m", 7300 → "2h 1m". */
export function formatDuration(sec: number): string {
  const s = Math.max(0, Math.floor(sec));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}
