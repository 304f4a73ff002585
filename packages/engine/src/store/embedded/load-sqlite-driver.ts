import { StoreDriverMissingError } from '../../errors.js';
import { loadBetterSqlite3 } from './better-sqlite3-driver.js';
import { loadNodeSqlite } from './node-sqlite-driver.js';
import type { SqliteDriver, SqliteDriverPreference } from './sqlite-driver.js';

const INSTALL_HINT =
  'install better-sqlite3 beside the engine (`npm install better-sqlite3@12`), run Node 22.13 or newer ' +
  '(its built-in node:sqlite needs no install), or use the postgres store';

/**
 * Finds the SQLite binding for the embedded store. better-sqlite3 is an optional peer dependency:
 * nobody who runs Postgres, or no store, has to compile it. `auto` takes better-sqlite3 when it is
 * installed and loads (the user chose it; the only binding on Node 20), else Node's built-in
 * `node:sqlite` (22.13+, 24), else fails with `LEV_ERR_STORE_DRIVER_MISSING` saying what to do.
 * Both bindings read and write the same file format, so a data directory moves between them.
 */
export async function loadSqliteDriver(preference: SqliteDriverPreference = 'auto'): Promise<SqliteDriver> {
  if (preference === 'node:sqlite') {
    const driver = loadNodeSqlite();
    if (driver) return driver;
    throw new StoreDriverMissingError(
      `store driver node:sqlite needs Node 22.13 or newer (this is ${process.version}); ${INSTALL_HINT}`,
    );
  }
  const better = await loadBetterSqlite3();
  if (better.status === 'loaded') return better.driver;
  if (preference === 'better-sqlite3') throw missing(better);
  const builtIn = loadNodeSqlite();
  if (builtIn) return builtIn;
  throw missing(better);
}

function missing(better: Exclude<Awaited<ReturnType<typeof loadBetterSqlite3>>, { status: 'loaded' }>) {
  if (better.status === 'missing') {
    return new StoreDriverMissingError(
      `the embedded store needs SQLite: better-sqlite3 is not installed and Node ${process.version} has no node:sqlite; ${INSTALL_HINT}`,
    );
  }
  return new StoreDriverMissingError(
    `better-sqlite3 is installed but does not load on Node ${process.version} ` +
      `(${(better.error as Error)?.message ?? String(better.error)}): rebuild it for this Node ` +
      `(\`npm rebuild better-sqlite3\`), or ${INSTALL_HINT}`,
    { cause: better.error },
  );
}
