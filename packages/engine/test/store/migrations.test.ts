import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, databaseUrl, type TestDatabase } from '@leviathan/test-support';
import postgres, { type Sql } from 'postgres';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreMigrationError } from '../../src/errors.js';
import { loadMigrations, migrationsRoot } from '../../src/store/migrations/migration-files.js';
import { migrateDown, migrateUp, migrationStatus } from '../../src/store/postgres/postgres-migrator.js';

const tables = async (sql: Sql) =>
  (
    await sql<{ t: string }[]>`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`
  ).map((r) => r.t);

describe('migration files', () => {
  it('finds the package migrations from the sources, for both dialects, with matching versions', () => {
    expect(migrationsRoot()).toMatch(/packages\/engine\/migrations$/);
    const pg = loadMigrations('postgres');
    const lite = loadMigrations('sqlite');
    expect(pg.length).toBeGreaterThan(0);
    expect(pg.map((m) => `${m.version}_${m.name}`)).toEqual(lite.map((m) => `${m.version}_${m.name}`));
  });

  it('ships the migrations in the package (files) next to dist/', () => {
    const pkg = JSON.parse(readFileSync(join(migrationsRoot(), '..', 'package.json'), 'utf8')) as {
      files: string[];
    };
    expect(pkg.files).toContain('migrations');
  });

  it('rejects a folder with a gap, a missing down file or a badly named file', () => {
    const root = mkdtempSync(join(tmpdir(), 'lev-mig-'));
    try {
      mkdirSync(join(root, 'postgres'));
      writeFileSync(join(root, 'postgres', '0001_a.up.sql'), 'SELECT 1');
      expect(() => loadMigrations('postgres', root)).toThrow(StoreMigrationError);
      writeFileSync(join(root, 'postgres', '0001_a.down.sql'), 'SELECT 1');
      expect(loadMigrations('postgres', root)).toHaveLength(1);
      writeFileSync(join(root, 'postgres', '0003_c.up.sql'), 'SELECT 1');
      writeFileSync(join(root, 'postgres', '0003_c.down.sql'), 'SELECT 1');
      expect(() => loadMigrations('postgres', root)).toThrow(/1, 2, 3/);
      rmSync(join(root, 'postgres', '0003_c.up.sql'));
      rmSync(join(root, 'postgres', '0003_c.down.sql'));
      writeFileSync(join(root, 'postgres', 'oops.sql'), 'SELECT 1');
      expect(() => loadMigrations('postgres', root)).toThrow(/badly named/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!databaseUrl())('postgres migrations', () => {
  let db: TestDatabase;
  let sql: Sql;
  beforeEach(async () => {
    db = await createTestDatabase('migrate');
    sql = postgres(db.url, { max: 4, onnotice: () => {} });
  });
  afterEach(async () => {
    await sql.end();
    await db.drop();
  });

  it('goes up, reports status, goes down to an empty schema, and up again', async () => {
    const all = loadMigrations('postgres');
    expect((await migrationStatus(sql)).every((s) => !s.applied)).toBe(true);
    const up = await migrateUp(sql);
    expect(up.versions).toEqual(all.map((m) => m.version));
    expect(up.current).toBe(all.length);
    expect(await tables(sql)).toEqual([
      'accounts',
      'characters',
      'leviathan_schema_migrations',
      'sessions',
      'world_state',
      'zone_fences',
    ]);
    const status = await migrationStatus(sql);
    expect(status.every((s) => s.applied && s.checksumMatches)).toBe(true);
    expect((await migrateUp(sql)).versions).toEqual([]);

    const down = await migrateDown(sql, { steps: all.length });
    expect(down.versions).toEqual(all.map((m) => m.version).reverse());
    expect(down.current).toBe(0);
    expect(await tables(sql)).toEqual(['leviathan_schema_migrations']);
    expect((await migrateDown(sql)).versions).toEqual([]);
    expect((await migrateUp(sql)).versions).toHaveLength(all.length);
  });

  it('two concurrent `migrate up` apply each migration exactly once (advisory lock)', async () => {
    const other = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      const [a, b] = await Promise.all([migrateUp(sql), migrateUp(other)]);
      const applied = [...a.versions, ...b.versions].sort();
      expect(applied).toEqual(loadMigrations('postgres').map((m) => m.version));
      expect(a.versions.length === 0 || b.versions.length === 0).toBe(true);
      const [{ n } = { n: 0 }] = await sql<
        { n: number }[]
      >`SELECT count(*)::int AS n FROM leviathan_schema_migrations`;
      expect(n).toBe(loadMigrations('postgres').length);
    } finally {
      await other.end();
    }
  });

  it('rolls a failing migration back whole and names it', async () => {
    const good = loadMigrations('postgres');
    const bad = [
      ...good,
      {
        version: good.length + 1,
        name: 'broken',
        up: 'CREATE TABLE t1 (a int); SELEC oops;',
        down: 'DROP TABLE t1',
        checksum: 'x',
      },
    ];
    await expect(migrateUp(sql, { migrations: bad })).rejects.toThrow(/broken/);
    expect(await tables(sql)).toEqual([]);
    expect((await migrationStatus(sql)).every((s) => !s.applied)).toBe(true);
  });

  it('status spots an applied migration whose file changed', async () => {
    await migrateUp(sql);
    const edited = loadMigrations('postgres').map((m) => ({ ...m, checksum: 'edited' }));
    expect(
      (await migrationStatus(sql, { migrations: edited })).every((s) => s.checksumMatches === false),
    ).toBe(true);
  });
});
