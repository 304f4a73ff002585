import type { WorldIssueInfo } from '../errors.js';

/**
 * One thing wrong with a world file, with where it is: the file, relative to the world directory
 * (`zones/harbor.yaml`), and the key path inside it (`rooms.square.exits.north`, '' for the whole
 * file).
 */
export type WorldIssue = WorldIssueInfo;

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
