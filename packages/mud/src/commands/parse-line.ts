/** A typed line split into its command word (lower case) and the rest (trimmed). */
export interface SplitLine {
  word: string;
  rest: string;
}

/**
 * Punctuation shortcuts MUD players type without a space: `'hello` and `"hello` say, `:waves`
 * emotes, `;waves` too (tintin users).
 */
const SHORTCUTS: Readonly<Record<string, string>> = { "'": 'say', '"': 'say', ':': 'emote', ';': 'emote' };

/** Splits a line; undefined for a blank line. */
export function splitLine(line: string): SplitLine | undefined {
  const text = line.trim();
  if (text.length === 0) return undefined;
  const shortcut = SHORTCUTS[text[0]!];
  if (shortcut) return { word: shortcut, rest: text.slice(1).trim() };
  const space = text.search(/\s/);
  if (space === -1) return { word: text.toLowerCase(), rest: '' };
  return { word: text.slice(0, space).toLowerCase(), rest: text.slice(space + 1).trim() };
}

/** What a command resolver needs to know of a command. */
export interface CommandInfo {
  readonly name: string;
  readonly aliases?: readonly string[] | undefined;
  readonly role?: string | undefined;
  readonly hidden?: boolean | undefined;
}

export type Resolution<C> =
  | { kind: 'command'; command: C }
  | { kind: 'unknown'; suggestion: string | undefined };

/** Whether a player with these roles may use the command. */
export function allowed(command: CommandInfo, roles: readonly string[]): boolean {
  return command.role === undefined || roles.includes(command.role);
}

/**
 * Finds the command a word means, in this order: an exact name or alias; then the first command,
 * in definition order, whose name starts with the word (so `inv` is inventory and `exa` examine:
 * a game lists its common commands first to win short prefixes); else a "did you mean" suggestion
 * within a small edit distance. Commands the player's roles do not allow are invisible: they are
 * neither run nor suggested.
 */
export function resolveCommand<C extends CommandInfo>(
  word: string,
  commands: readonly C[],
  roles: readonly string[],
  closest: (word: string, candidates: Iterable<string>) => string | undefined,
): Resolution<C> {
  for (const c of commands) {
    if ((c.name === word || c.aliases?.includes(word)) && allowed(c, roles))
      return { kind: 'command', command: c };
  }
  for (const c of commands) {
    if (c.name.startsWith(word) && allowed(c, roles)) return { kind: 'command', command: c };
  }
  const names: string[] = [];
  for (const c of commands) if (!c.hidden && allowed(c, roles)) names.push(c.name);
  return { kind: 'unknown', suggestion: closest(word, names) };
}
