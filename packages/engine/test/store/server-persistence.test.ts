import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, databaseUrl, type TestDatabase } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MudClient } from '../../../mud/test/helpers/mud-client.js';
import { startMud } from '../../../mud/test/helpers/mud-server.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import type { Store } from '../../src/store/store.js';

interface Backend {
  name: string;
  skip: boolean;
  setup(): Promise<{ store: Record<string, unknown>; open(): Promise<Store>; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'embedded',
    skip: false,
    async setup() {
      const dataDir = mkdtempSync(join(tmpdir(), 'lev-srv-'));
      return {
        store: { kind: 'embedded', dataDir },
        open: () => EmbeddedStore.open({ dataDir }),
        cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'postgres',
    skip: !databaseUrl(),
    async setup() {
      const db: TestDatabase = await createTestDatabase('server');
      return {
        store: { kind: 'postgres', url: db.url },
        open: () => PostgresStore.open({ url: db.url, migrate: false }),
        cleanup: () => db.drop(),
      };
    },
  },
];

/**
 * The store behind a real server (uWS gateway, two shards, the MUD): a character's place and
 * inventory survive a server restart; the state goes through the shards' state batches, the
 * write-behind, a logout save and the shutdown flush.
 */
describe.each(backends)('a character survives a restart ($name store)', (backend) => {
  let env: Awaited<ReturnType<Backend['setup']>>;
  beforeAll(async () => {
    if (!backend.skip) env = await backend.setup();
  });
  afterAll(async () => {
    await env?.cleanup();
  });

  it.skipIf(backend.skip)('keeps room and inventory across a graceful restart', async () => {
    const first = await startMud({ store: env.store, flushIntervalMs: 100 });
    try {
      const ann = await MudClient.login(first.url, 'ann');
      await ann.walk('e');
      expect((await ann.cmd('get herring')).text).toBe('You take a smoked herring.');
      // Bob stays online until shutdown: his state is saved by the final flush, not a logout.
      const bob = await MudClient.login(first.url, 'bob');
      await bob.walk('w');
      ann.close();
      await ann.closed;
      // The store's metrics are part of the server's /metrics.
      const metrics = await first.server.metrics();
      expect(metrics).toMatch(/leviathan_db_query_duration_seconds_count\{[^}]*operation="load_character"/);
      expect(metrics).toContain('leviathan_db_pending_dirty');
      expect(metrics).toMatch(/leviathan_db_pool_connections\{[^}]*state="idle"/);
    } finally {
      await first.server.close();
    }

    const store = await env.open();
    try {
      const saved = await store.loadCharacter('ann');
      expect(saved?.version).toBeGreaterThanOrEqual(1);
      expect(await store.loadCharacter('bob')).toBeDefined();
      // The room Ann took the herring from is a world record (wrapped as { v: ... }).
      const world = await store.loadWorld('harbor/');
      expect(world.length).toBeGreaterThan(0);
      expect(world.every((r) => 'v' in r.data)).toBe(true);
    } finally {
      await store.close();
    }

    const second = await startMud({ store: env.store, flushIntervalMs: 100 });
    try {
      const ann = await MudClient.login(second.url, 'ann');
      const bob = await MudClient.login(second.url, 'bob');
      expect((await ann.cmd('inventory')).text).toContain('a smoked herring');
      const annLook = (await ann.cmd('look')).text as string;
      const bobLook = (await bob.cmd('look')).text as string;
      expect(annLook).not.toBe(bobLook);
      expect(annLook).not.toContain('Fishmarket Square');
      ann.close();
      bob.close();
    } finally {
      await second.server.close();
    }
  });
});
