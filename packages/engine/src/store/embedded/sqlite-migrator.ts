import { StoreMigrationError } from '../../errors.js';
import { loadMigrations, type Migration } from '../migrations/migration-files.js';
import type { SqliteDatabase } from './sqlite-driver.js';

/**
 * Migrates the embedded database when it opens, in one `BEGIN IMMEDIATE` transaction: SQLite's
 * write lock serializes two processes opening the same data directory the way the advisory lock
 * does for Postgres, and a failing migration rolls back whole.
 */
export function migrateSqlite(
  db: SqliteDatabase,
  migrations: Migration[] = loadMigrations('sqlite'),
): number[] {
  // `immediate` takes the write lock before reading the applied versions.
  return db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS leviathan_schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT    NOT NULL,
      checksum   TEXT    NOT NULL,
      applied_at INTEGER NOT NULL
    ) STRICT`);
    const applied = new Set(
      db
        .prepare<{ version: number }>('SELECT version FROM leviathan_schema_migrations')
        .all()
        .map((r) => r.version),
    );
    const known = new Set(migrations.map((m) => m.version));
    for (const v of applied) {
      if (!known.has(v)) {
        throw new StoreMigrationError(
          `the data file has schema version ${v}, newer than this engine knows; upgrade the engine`,
        );
      }
    }
    const done: number[] = [];
    const record = db.prepare(
      'INSERT INTO leviathan_schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)',
    );
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      try {
        db.exec(m.up);
      } catch (cause) {
        throw new StoreMigrationError(
          `migration ${m.version}_${m.name} failed: ${(cause as Error).message}`,
          { cause },
        );
      }
      record.run(m.version, m.name, m.checksum, Date.now());
      done.push(m.version);
    }
    return done;
  }, 'immediate');
}
