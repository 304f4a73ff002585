import type Database from 'better-sqlite3';
import type { SqliteDatabase, SqliteDriver, SqliteStatement } from './sqlite-driver.js';

type BetterSqlite3 = typeof Database;

/** How loading better-sqlite3 went: loaded, not installed, or installed but unusable (and why). */
export type BetterSqlite3Load =
  | { readonly status: 'loaded'; readonly driver: SqliteDriver }
  | { readonly status: 'missing' }
  | { readonly status: 'broken'; readonly error: unknown };

/**
 * Imports better-sqlite3 and opens an in-memory database once, because the package loads its
 * native binary only then: a binary built for another Node ABI, or missing because its build
 * failed, shows up here rather than when the store opens its file.
 */
export async function loadBetterSqlite3(): Promise<BetterSqlite3Load> {
  let Ctor: BetterSqlite3;
  try {
    const mod = (await import('better-sqlite3')) as { default?: BetterSqlite3 } & BetterSqlite3;
    Ctor = mod.default ?? mod;
  } catch (error) {
    return isNotInstalled(error) ? { status: 'missing' } : { status: 'broken', error };
  }
  try {
    new Ctor(':memory:').close();
  } catch (error) {
    return { status: 'broken', error };
  }
  return {
    status: 'loaded',
    driver: {
      name: 'better-sqlite3',
      open(file, busyTimeoutMs) {
        return new BetterSqlite3Adapter(new Ctor(file, { timeout: busyTimeoutMs }));
      },
    },
  };
}

function isNotInstalled(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    String(message).includes('better-sqlite3')
  );
}

class BetterSqlite3Adapter implements SqliteDatabase {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  prepare<Row = unknown>(source: string): SqliteStatement<Row> {
    return this.#db.prepare<Row>(source);
  }

  exec(source: string): void {
    this.#db.exec(source);
  }

  transaction<T>(fn: () => T, mode: 'deferred' | 'immediate' = 'deferred'): T {
    const run = this.#db.transaction(fn) as (() => T) & { immediate: () => T };
    return mode === 'immediate' ? run.immediate() : run();
  }

  close(): void {
    this.#db.close();
  }
}
