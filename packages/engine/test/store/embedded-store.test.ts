import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_FILE, EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { storeContract } from './store-contract.js';

storeContract('embedded (better-sqlite3)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lev-embedded-'));
  return {
    open: () => EmbeddedStore.open({ dataDir: dir }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe('the embedded store', () => {
  it('creates its data directory, migrates itself, and keeps data across reopen', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lev-embedded-'));
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
});
