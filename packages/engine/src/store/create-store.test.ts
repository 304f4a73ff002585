import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreConfigError } from '../errors.js';
import { createStore } from './create-store.js';

describe('createStore', () => {
  it('opens the embedded store when the config names no kind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lev-cs-'));
    try {
      const store = await createStore({ dataDir: dir });
      expect(store.kind).toBe('embedded');
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the key that is wrong', async () => {
    await expect(createStore({ kind: 'postgres' })).rejects.toThrow(StoreConfigError);
    await expect(createStore({ kind: 'postgres', url: 'mysql://x' })).rejects.toThrow(/store.url/);
    await expect(createStore({ kind: 'redis' as never })).rejects.toThrow(/unknown store kind "redis"/);
  });
});
