import type { SqliteDatabase, SqliteDriver, SqliteStatement } from './sqlite-driver.js';

/** The part of `node:sqlite` used here (its types are not in the @types/node of Node 20). */
interface NodeSqliteModule {
  DatabaseSync: new (path: string) => NodeSqliteDatabase;
}
interface NodeSqliteDatabase {
  prepare(source: string): SqliteStatement<never>;
  exec(source: string): void;
  close(): void;
}

/**
 * `node:sqlite` when this Node line has it without a flag (22.13+, 24), else undefined (Node 20 has
 * no such module; 22.5-22.12 need `--experimental-sqlite`). Node 22 prints one ExperimentalWarning
 * when it loads; Node 24 does not.
 */
export function loadNodeSqlite(): SqliteDriver | undefined {
  let mod: NodeSqliteModule | undefined;
  try {
    mod = process.getBuiltinModule('node:sqlite') as NodeSqliteModule | undefined;
  } catch {
    return undefined;
  }
  if (typeof mod?.DatabaseSync !== 'function') return undefined;
  const { DatabaseSync } = mod;
  return {
    name: 'node:sqlite',
    open(file, busyTimeoutMs) {
      const db = new DatabaseSync(file);
      try {
        db.exec(`PRAGMA busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
      } catch (error) {
        db.close();
        throw error;
      }
      return new NodeSqliteDatabaseAdapter(db);
    },
  };
}

class NodeSqliteDatabaseAdapter implements SqliteDatabase {
  readonly #db: NodeSqliteDatabase;

  constructor(db: NodeSqliteDatabase) {
    this.#db = db;
  }

  prepare<Row = unknown>(source: string): SqliteStatement<Row> {
    return this.#db.prepare(source) as SqliteStatement<Row>;
  }

  exec(source: string): void {
    this.#db.exec(source);
  }

  transaction<T>(fn: () => T, mode: 'deferred' | 'immediate' = 'deferred'): T {
    this.#db.exec(mode === 'immediate' ? 'BEGIN IMMEDIATE' : 'BEGIN');
    let result: T;
    try {
      result = fn();
    } catch (error) {
      try {
        this.#db.exec('ROLLBACK');
      } catch {
        // SQLite already rolled back (some errors end the transaction themselves): the first
        // error is the one to report.
      }
      throw error;
    }
    this.#db.exec('COMMIT');
    return result;
  }

  close(): void {
    this.#db.close();
  }
}
