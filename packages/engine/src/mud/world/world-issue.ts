/** One thing wrong with a world file, with where it is: the file and the key path inside it. */
export interface WorldIssue {
  /** The file, relative to the world directory (`zones/harbor.yaml`). */
  file: string;
  /** The key path inside the file (`rooms.square.exits.north`), '' for the whole file. */
  path: string;
  message: string;
}

/** `zones/harbor.yaml: rooms.square.exits.north: no room "harbor:markt"`. */
export function formatIssue(issue: WorldIssue): string {
  return issue.path ? `${issue.file}: ${issue.path}: ${issue.message}` : `${issue.file}: ${issue.message}`;
}

/** Joins key path segments: identifiers with dots, anything else quoted in brackets. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  const plain = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  if (!base) return plain;
  return plain.startsWith('"') ? `${base}[${plain}]` : `${base}.${plain}`;
}
