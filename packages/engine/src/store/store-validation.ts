import { StoreInvalidWriteError } from '../errors.js';
import type { VersionedWrite } from './store.js';

/** Checks a batch before it reaches a database: both stores reject the same bad input the same way. */
export function checkWrites(writes: readonly VersionedWrite[]): void {
  const seen = new Set<string>();
  for (const w of writes) {
    if (typeof w.key !== 'string' || w.key.length === 0 || w.key.length > 512) {
      throw new StoreInvalidWriteError(
        `a key must be a string of 1 to 512 characters, got ${JSON.stringify(w.key)}`,
      );
    }
    if (w.key.includes('\u0000'))
      throw new StoreInvalidWriteError('a key must not contain NUL (Postgres text cannot hold it)');
    if (seen.has(w.key))
      throw new StoreInvalidWriteError(`key ${JSON.stringify(w.key)} appears twice in one batch`);
    seen.add(w.key);
    if (!Number.isSafeInteger(w.expectedVersion) || w.expectedVersion < 0) {
      throw new StoreInvalidWriteError(`expectedVersion of ${JSON.stringify(w.key)} must be an integer >= 0`);
    }
    if (w.fence !== undefined) checkFence(w.fence.zone, w.fence.token, ` of ${JSON.stringify(w.key)}`);
    if (w.data === null || typeof w.data !== 'object' || Array.isArray(w.data)) {
      throw new StoreInvalidWriteError(`data of ${JSON.stringify(w.key)} must be a JSON object`);
    }
  }
}

/**
 * A fence's zone is named as a key is: 1 to 512 characters, no NUL. Checked here for `zoneFence`
 * too, although it only reads: Postgres refuses a NUL in text (a query error) where SQLite would
 * answer 0, and both stores must answer alike.
 */
export function checkZone(zone: string, of = ''): void {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 512 || zone.includes('\u0000'))
    throw new StoreInvalidWriteError(`fence zone${of} must be a string of 1 to 512 characters without NUL`);
}

/** A fence names a zone (see checkZone) and carries a token of 1 or more. */
export function checkFence(zone: string, token: number, of = ''): void {
  checkZone(zone, of);
  if (!Number.isSafeInteger(token) || token < 1)
    throw new StoreInvalidWriteError(`fence token${of} must be an integer >= 1`);
}
