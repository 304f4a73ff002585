/**
 * The part of an SQLite binding the embedded store uses, so that it runs on better-sqlite3 or on
 * Node's built-in `node:sqlite` (Node 22.13+ and 24) alike. Both are synchronous and prepare
 * statements the same way; they differ in transactions (better-sqlite3 wraps a function, node:sqlite
 * has none) and in how an error names its SQLite code.
 */

/** Which binding to use. `auto`: better-sqlite3 when it is installed and loads, else node:sqlite. */
export type SqliteDriverName = 'better-sqlite3' | 'node:sqlite';
export type SqliteDriverPreference = SqliteDriverName | 'auto';

export interface SqliteRunResult {
  readonly changes: number | bigint;
}

export interface SqliteStatement<Row = unknown> {
  run(...params: SqliteValue[]): SqliteRunResult;
  get(...params: SqliteValue[]): Row | undefined;
  all(...params: SqliteValue[]): Row[];
}

/** The values the store binds: both bindings take these unchanged. */
export type SqliteValue = string | number | bigint | null;

export interface SqliteDatabase {
  prepare<Row = unknown>(source: string): SqliteStatement<Row>;
  exec(source: string): void;
  /**
   * Runs `fn` in one transaction: committed when it returns, rolled back when it throws.
   * `immediate` takes the write lock at BEGIN (before the first read).
   */
  transaction<T>(fn: () => T, mode?: 'deferred' | 'immediate'): T;
  close(): void;
}

export interface SqliteDriver {
  readonly name: SqliteDriverName;
  /** Opens (creating) the database file; `busyTimeoutMs` bounds the wait for another writer's lock. */
  open(file: string, busyTimeoutMs: number): SqliteDatabase;
}

/** SQLite's primary result codes the store tells apart (sqlite3.h); node:sqlite reports numbers. */
const PRIMARY_CODES: Readonly<Record<number, string>> = {
  5: 'SQLITE_BUSY',
  6: 'SQLITE_LOCKED',
  10: 'SQLITE_IOERR',
  13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN',
  19: 'SQLITE_CONSTRAINT',
};

/**
 * The SQLite code of an error from either binding, as better-sqlite3 spells it (`SQLITE_BUSY`,
 * `SQLITE_CONSTRAINT_UNIQUE`…; node:sqlite gives the primary code only), or '' when it has none.
 */
export function sqliteErrorCode(error: unknown): string {
  const e = error as { code?: unknown; errcode?: unknown } | null | undefined;
  if (typeof e?.errcode === 'number') return PRIMARY_CODES[e.errcode & 0xff] ?? `SQLITE_${e.errcode & 0xff}`;
  return typeof e?.code === 'string' && e.code.startsWith('SQLITE_') ? e.code : '';
}
