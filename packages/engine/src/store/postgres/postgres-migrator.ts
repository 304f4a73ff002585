import type { Sql } from 'postgres';
import { StoreMigrationError } from '../../errors.js';
import { loadMigrations, type Migration } from '../migrations/migration-files.js';

/**
 * Key of the Postgres advisory lock that serializes migrations across nodes ('Levi' in ASCII).
 * Every node may run `migrate up` at start: the first takes the lock and migrates, the others wait
 * for it and then find nothing left to do.
 */
export const MIGRATION_LOCK_KEY = 0x4c657669;

export interface MigrationStatus {
  version: number;
  name: string;
  applied: boolean;
  appliedAt?: Date;
  /** False when the applied migration's file changed since (its checksum differs). */
  checksumMatches?: boolean;
}

export interface MigrateResult {
  /** Versions applied (up) or reverted (down), in order. */
  versions: number[];
  /** The schema version afterwards (0: empty). */
  current: number;
}

export interface MigrateOptions {
  /** For `down`: how many migrations to revert. @default 1 */
  steps?: number;
  /** Migrations to use instead of the package's (tests). */
  migrations?: Migration[];
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS leviathan_schema_migrations (
  version    integer     PRIMARY KEY,
  name       text        NOT NULL,
  checksum   text        NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/**
 * Applies every pending migration in one transaction under a transaction-level advisory lock, so
 * that several nodes starting at once migrate exactly once, and a failing migration leaves the
 * schema as it was (Postgres DDL is transactional).
 */
export async function migrateUp(sql: Sql, options: MigrateOptions = {}): Promise<MigrateResult> {
  const migrations = options.migrations ?? loadMigrations('postgres');
  return withLock(sql, async (tx) => {
    const applied = await appliedVersions(tx);
    const done: number[] = [];
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      try {
        await tx.unsafe(m.up).simple();
      } catch (cause) {
        throw new StoreMigrationError(
          `migration ${m.version}_${m.name} failed: ${(cause as Error).message}`,
          {
            cause,
          },
        );
      }
      await tx`INSERT INTO leviathan_schema_migrations (version, name, checksum)
               VALUES (${m.version}, ${m.name}, ${m.checksum})`;
      done.push(m.version);
    }
    return { versions: done, current: Math.max(0, ...applied, ...done) };
  });
}

/** Reverts the last `steps` applied migrations (default 1), newest first, in one transaction. */
export async function migrateDown(sql: Sql, options: MigrateOptions = {}): Promise<MigrateResult> {
  const migrations = options.migrations ?? loadMigrations('postgres');
  const steps = options.steps ?? 1;
  if (!Number.isInteger(steps) || steps < 1)
    throw new StoreMigrationError(`steps must be a positive integer, got ${steps}`);
  const byVersion = new Map(migrations.map((m) => [m.version, m]));
  return withLock(sql, async (tx) => {
    const applied = [...(await appliedVersions(tx))].sort((a, b) => b - a);
    const done: number[] = [];
    for (const version of applied.slice(0, steps)) {
      const m = byVersion.get(version);
      if (!m) throw new StoreMigrationError(`applied migration ${version} has no file: cannot revert it`);
      try {
        await tx.unsafe(m.down).simple();
      } catch (cause) {
        throw new StoreMigrationError(
          `reverting ${m.version}_${m.name} failed: ${(cause as Error).message}`,
          {
            cause,
          },
        );
      }
      await tx`DELETE FROM leviathan_schema_migrations WHERE version = ${version}`;
      done.push(version);
    }
    return { versions: done, current: applied[done.length] ?? 0 };
  });
}

/** Every known migration and whether it is applied. Takes no lock and changes nothing. */
export async function migrationStatus(sql: Sql, options: MigrateOptions = {}): Promise<MigrationStatus[]> {
  const migrations = options.migrations ?? loadMigrations('postgres');
  const [exists] = await sql<
    { t: string | null }[]
  >`SELECT to_regclass('leviathan_schema_migrations')::text AS t`;
  const rows = exists?.t
    ? await sql<{ version: number; checksum: string; applied_at: Date }[]>`
        SELECT version, checksum, applied_at FROM leviathan_schema_migrations`
    : [];
  const applied = new Map(rows.map((r) => [r.version, r]));
  return migrations.map((m) => {
    const row = applied.get(m.version);
    return row
      ? {
          version: m.version,
          name: m.name,
          applied: true,
          appliedAt: row.applied_at,
          checksumMatches: row.checksum === m.checksum,
        }
      : { version: m.version, name: m.name, applied: false };
  });
}

async function withLock<T>(sql: Sql, body: (tx: Sql) => Promise<T>): Promise<T> {
  try {
    return (await sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`;
      await tx.unsafe(CREATE_TABLE);
      return body(tx as unknown as Sql);
    })) as T;
  } catch (cause) {
    if (cause instanceof StoreMigrationError) throw cause;
    throw new StoreMigrationError(`migration failed: ${(cause as Error).message}`, { cause });
  }
}

async function appliedVersions(tx: Sql): Promise<Set<number>> {
  const rows = await tx<{ version: number }[]>`SELECT version FROM leviathan_schema_migrations`;
  return new Set(rows.map((r) => r.version));
}
