import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreDriverMissingError } from '../../src/errors.js';
import { createLogger } from '../../src/logging/logger.js';
import { loadBetterSqlite3 } from '../../src/store/embedded/better-sqlite3-driver.js';
import { EMBEDDED_FILE, EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { loadNodeSqlite } from '../../src/store/embedded/node-sqlite-driver.js';
import type { SqliteDriverName } from '../../src/store/embedded/sqlite-driver.js';
import { startServer } from '../helpers/start-server.js';
import { storeContract } from './store-contract.js';

/** Which bindings this Node has: better-sqlite3 on every line it was built for, node:sqlite on 22.13+. */
const available: Record<SqliteDriverName, boolean> = {
  'better-sqlite3': (await loadBetterSqlite3()).status === 'loaded',
  'node:sqlite': loadNodeSqlite() !== undefined,
};
const tempDir = () => mkdtempSync(join(tmpdir(), 'lev-embedded-'));

for (const driver of ['better-sqlite3', 'node:sqlite'] as const) {
  if (!available[driver]) {
    describe.skip(`Store contract: embedded (${driver}, not available on Node ${process.version})`, () => {
      it.skip('needs the binding', () => {});
    });
    continue;
  }
  storeContract(`embedded (${driver})`, async () => {
    const dir = tempDir();
    return {
      open: () => EmbeddedStore.open({ dataDir: dir, driver }),
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  });
}

describe('the embedded store', () => {
  it('creates its data directory, migrates itself, and keeps data across reopen', async () => {
    const root = tempDir();
    const dir = join(root, 'nested', 'data');
    try {
      const a = await EmbeddedStore.open({ dataDir: dir });
      expect(existsSync(join(dir, EMBEDDED_FILE))).toBe(true);
      await a.saveCharacters([{ key: 'zed', expectedVersion: 0, data: { n: 1 }, writer: 'w:1' }]);
      await a.close();
      const b = await EmbeddedStore.open({ dataDir: dir });
      expect(await b.loadCharacter('zed')).toEqual({ key: 'zed', version: 1, data: { n: 1 } });
      await b.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('picks better-sqlite3 when it loads, else node:sqlite', async () => {
    const dir = tempDir();
    try {
      const store = await EmbeddedStore.open({ dataDir: dir });
      expect(store.driver).toBe(available['better-sqlite3'] ? 'better-sqlite3' : 'node:sqlite');
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a binding this Node lacks with LEV_ERR_STORE_DRIVER_MISSING, naming the fixes', async () => {
    for (const driver of ['better-sqlite3', 'node:sqlite'] as const) {
      if (available[driver]) continue;
      const err = await EmbeddedStore.open({ dataDir: tempDir(), driver }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreDriverMissingError);
      expect((err as StoreDriverMissingError).code).toBe('LEV_ERR_STORE_DRIVER_MISSING');
      expect((err as Error).message).toMatch(/better-sqlite3.*Node 22\.13.*postgres/s);
    }
  });

  it.skipIf(!(available['better-sqlite3'] && available['node:sqlite']))(
    'moves a data directory between the two bindings (same file format)',
    async () => {
      const dir = tempDir();
      try {
        const a = await EmbeddedStore.open({ dataDir: dir, driver: 'better-sqlite3' });
        await a.saveWorld([{ key: 'zone:a', expectedVersion: 0, data: { n: 1 }, writer: 'w:1' }]);
        await a.close();
        const b = await EmbeddedStore.open({ dataDir: dir, driver: 'node:sqlite' });
        expect(await b.loadWorld('zone:')).toEqual([{ key: 'zone:a', version: 1, data: { n: 1 } }]);
        await b.saveWorld([{ key: 'zone:a', expectedVersion: 1, data: { n: 2 }, writer: 'w:1' }]);
        await b.close();
        const c = await EmbeddedStore.open({ dataDir: dir, driver: 'better-sqlite3' });
        expect(await c.loadWorld('zone:')).toEqual([{ key: 'zone:a', version: 2, data: { n: 2 } }]);
        await c.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('takes its binding from the store.sqliteDriver option of a server, and says which at start', async () => {
    for (const driver of ['better-sqlite3', 'node:sqlite'] as const) {
      const dir = tempDir();
      const lines: string[] = [];
      const logger = createLogger({
        level: 'info',
        destination: { write: (line: string) => lines.push(line) },
      });
      try {
        const started = startServer({
          store: { kind: 'embedded', dataDir: dir, sqliteDriver: driver },
          logger,
        });
        if (!available[driver]) {
          await expect(started).rejects.toMatchObject({ code: 'LEV_ERR_STORE_DRIVER_MISSING' });
          continue;
        }
        const { server } = await started;
        await server.close();
        const ready = lines.map((l) => JSON.parse(l)).find((l) => l.msg?.startsWith('store ready'));
        expect(ready).toMatchObject({ store: 'embedded', driver, msg: `store ready (embedded, ${driver})` });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
