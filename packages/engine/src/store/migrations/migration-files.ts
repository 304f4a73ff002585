import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreMigrationError } from '../../errors.js';

/** One versioned schema change: `NNNN_name.up.sql` and its `NNNN_name.down.sql`. */
export interface Migration {
  version: number;
  name: string;
  up: string;
  down: string;
  /** SHA-256 of the up file, recorded when applied, so `status` can spot an edited migration. */
  checksum: string;
}

export type Dialect = 'postgres' | 'sqlite';

const FILE = /^(\d{4})_([a-z0-9_]+)\.(up|down)\.sql$/;

/**
 * The `migrations/` folder of the engine package. It ships in the package (`files`) next to
 * `dist/`, so it is found by walking up from this module to the package root: that works from
 * `src/store/migrations/` (vitest, tsx) and from the bundled `dist/index.js` or `dist/index.cjs`.
 */
export function migrationsRoot(): string {
  let dir = moduleDir();
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'migrations');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new StoreMigrationError(`no migrations/ folder above ${moduleDir()}`);
}

function moduleDir(): string {
  // The CJS build has __dirname and no import.meta.url; the ESM build and the sources the reverse.
  if (typeof __dirname === 'string') return __dirname;
  return dirname(fileURLToPath(import.meta.url));
}

/** Reads and checks the migrations of one dialect, sorted by version (1, 2, 3, ... with no gap). */
export function loadMigrations(dialect: Dialect, root: string = migrationsRoot()): Migration[] {
  const dir = join(root, dialect);
  const parts = new Map<number, { name: string; up?: string; down?: string }>();
  for (const file of readdirSync(dir)) {
    const m = FILE.exec(file);
    if (!m) {
      if (file.endsWith('.sql'))
        throw new StoreMigrationError(`badly named migration file ${join(dir, file)}`);
      continue;
    }
    const version = Number(m[1]);
    const name = m[2] as string;
    const entry = parts.get(version) ?? { name };
    if (entry.name !== name) {
      throw new StoreMigrationError(`migration ${version} has two names: ${entry.name} and ${name}`);
    }
    entry[m[3] as 'up' | 'down'] = readFileSync(join(dir, file), 'utf8');
    parts.set(version, entry);
  }
  const migrations: Migration[] = [];
  for (const [version, entry] of [...parts].sort((a, b) => a[0] - b[0])) {
    if (entry.up === undefined || entry.down === undefined) {
      throw new StoreMigrationError(`migration ${version}_${entry.name} needs both .up.sql and .down.sql`);
    }
    if (version !== migrations.length + 1) {
      throw new StoreMigrationError(
        `migration versions must run 1, 2, 3...: found ${version} after ${migrations.length}`,
      );
    }
    migrations.push({
      version,
      name: entry.name,
      up: entry.up,
      down: entry.down,
      checksum: createHash('sha256').update(entry.up).digest('hex'),
    });
  }
  return migrations;
}
