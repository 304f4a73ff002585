import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreDuplicateError, StoreInvalidWriteError, StoreUnavailableError } from '../../src/errors.js';
import type { Store, VersionedWrite } from '../../src/store/store.js';
import { fencingCases } from './fencing-contract.js';

/** Opens stores on one database: each call is another "node" sharing the data. */
export interface StoreHarness {
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

const character = (room: string, gold = 0) => ({
  location: { zone: 'town', room },
  inventory: [{ id: 'sword', name: 'a rusty sword' }],
  stats: { hp: 10, gold },
});

/**
 * The one contract every Store implementation passes (hono's `router/common.case.test.ts` idea):
 * registered by test/store/postgres-store.test.ts and test/store/embedded-store.test.ts.
 */
export function storeContract(name: string, makeHarness: () => Promise<StoreHarness>): void {
  describe(`Store contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: Store;
    let n = 0;
    /** A fresh key per test, so cases never see each other's rows. */
    const key = (base: string) => `${base}${++n}`;
    const write = (
      k: string,
      expectedVersion: number,
      data: object,
      writer = 'node-a:1',
    ): VersionedWrite => ({
      key: k,
      expectedVersion,
      data: data as VersionedWrite['data'],
      writer,
    });

    beforeAll(async () => {
      harness = await makeHarness();
      store = await harness.open();
    });
    afterAll(async () => {
      await store?.close();
      await harness?.cleanup();
    });

    describe('accounts', () => {
      it('creates an account and finds it without regard to case', async () => {
        const username = key('Alice');
        const created = await store.createAccount({ username, passwordHash: 'scrypt$x', roles: ['player'] });
        expect(created.username).toBe(username);
        const found = await store.findAccount(username.toLowerCase());
        expect(found).toMatchObject({ username, passwordHash: 'scrypt$x', roles: ['player'] });
        expect(found?.createdAt).toBeInstanceOf(Date);
      });

      it('refuses a second account whose name differs only in case', async () => {
        const username = key('Bob');
        await store.createAccount({ username, passwordHash: 'h', roles: [] });
        await expect(
          store.createAccount({ username: username.toUpperCase(), passwordHash: 'h2', roles: [] }),
        ).rejects.toBeInstanceOf(StoreDuplicateError);
        expect((await store.findAccount(username))?.passwordHash).toBe('h');
      });

      it('answers undefined for an unknown account', async () => {
        expect(await store.findAccount(key('nobody'))).toBeUndefined();
      });
    });

    describe('sessions', () => {
      it('finds a live session, not an expired or deleted one', async () => {
        const username = key('carol');
        await store.createAccount({ username, passwordHash: 'h', roles: [] });
        const now = new Date();
        await store.createSession({
          tokenHash: `${username}-live`,
          username,
          expiresAt: new Date(now.getTime() + 60_000),
        });
        await store.createSession({
          tokenHash: `${username}-old`,
          username,
          expiresAt: new Date(now.getTime() - 1000),
        });
        expect(await store.findSession(`${username}-live`, now)).toMatchObject({ username });
        expect(await store.findSession(`${username}-old`, now)).toBeUndefined();
        await store.deleteSession(`${username}-live`);
        await store.deleteSession(`${username}-live`);
        expect(await store.findSession(`${username}-live`, now)).toBeUndefined();
        // The expired one is still stored until swept.
        expect(await store.deleteExpiredSessions(now)).toBeGreaterThanOrEqual(1);
        expect(await store.deleteExpiredSessions(now)).toBe(0);
      });
    });

    describe('characters', () => {
      it('creates at version 1 and grows the version by one per save', async () => {
        const k = key('dave');
        expect(await store.loadCharacter(k)).toBeUndefined();
        expect(await store.saveCharacters([write(k, 0, character('square'))])).toEqual([
          { key: k, ok: true, version: 1 },
        ]);
        expect(await store.saveCharacters([write(k, 1, character('gate', 5))])).toEqual([
          { key: k, ok: true, version: 2 },
        ]);
        expect(await store.loadCharacter(k)).toEqual({ key: k, version: 2, data: character('gate', 5) });
      });

      it('refuses a stale write and keeps the newer data (version conflict)', async () => {
        const k = key('erin');
        await store.saveCharacters([write(k, 0, character('a'))]);
        await store.saveCharacters([write(k, 1, character('b'), 'node-a:2')]);
        const [result] = await store.saveCharacters([write(k, 1, character('stale'), 'node-b:1')]);
        expect(result).toEqual({ key: k, ok: false, currentVersion: 2, currentWriter: 'node-a:2' });
        expect((await store.loadCharacter(k))?.data).toEqual(character('b'));
      });

      it('refuses to create an entity that already exists (expected version 0)', async () => {
        const k = key('frank');
        await store.saveCharacters([write(k, 0, character('a'))]);
        const [result] = await store.saveCharacters([write(k, 0, character('b'), 'node-b:1')]);
        expect(result).toEqual({ key: k, ok: false, currentVersion: 1, currentWriter: 'node-a:1' });
      });

      it('two nodes saving from the same version: the first wins, the second gets a conflict', async () => {
        const k = key('gina');
        const other = await harness.open();
        try {
          await store.saveCharacters([write(k, 0, character('start'))]);
          const [a] = await store.saveCharacters([write(k, 1, character('by-a'), 'node-a:9')]);
          const [b] = await other.saveCharacters([write(k, 1, character('by-b'), 'node-b:9')]);
          expect(a).toMatchObject({ ok: true, version: 2 });
          expect(b).toEqual({ key: k, ok: false, currentVersion: 2, currentWriter: 'node-a:9' });
          expect((await other.loadCharacter(k))?.data).toEqual(character('by-a'));
        } finally {
          await other.close();
        }
      });

      it('writes the rows of a batch that pass the check and reports the others', async () => {
        const [a, b, c] = [key('h'), key('h'), key('h')];
        await store.saveCharacters([write(b, 0, character('x'))]);
        const results = await store.saveCharacters([
          write(a, 0, character('a')),
          write(b, 7, character('stale')),
          write(c, 0, character('c')),
        ]);
        expect(results).toEqual([
          { key: a, ok: true, version: 1 },
          { key: b, ok: false, currentVersion: 1, currentWriter: 'node-a:1' },
          { key: c, ok: true, version: 1 },
        ]);
        expect((await store.loadCharacter(b))?.data).toEqual(character('x'));
      });

      it('counts a retried write whose first attempt committed as saved (lost reply), not as a conflict', async () => {
        const k = key('ivan');
        await store.saveCharacters([write(k, 0, character('a'), 'node-a:41')]);
        // The same attempt again: the row is at version 1 and was written by this writer token.
        expect(await store.saveCharacters([write(k, 0, character('a'), 'node-a:41')])).toEqual([
          { key: k, ok: true, version: 1 },
        ]);
        // Another writer with the same expectation is a real conflict.
        expect(await store.saveCharacters([write(k, 0, character('z'), 'node-b:1')])).toEqual([
          { key: k, ok: false, currentVersion: 1, currentWriter: 'node-a:41' },
        ]);
      });

      it('rejects malformed batches before touching the database', async () => {
        const k = key('judy');
        await expect(store.saveCharacters([write(k, 0, {}), write(k, 0, {})])).rejects.toBeInstanceOf(
          StoreInvalidWriteError,
        );
        await expect(store.saveCharacters([write(k, -1, {})])).rejects.toBeInstanceOf(StoreInvalidWriteError);
        await expect(store.saveCharacters([write('', 0, {})])).rejects.toBeInstanceOf(StoreInvalidWriteError);
        await expect(store.saveCharacters([write('nul\u0000key', 0, {})])).rejects.toBeInstanceOf(
          StoreInvalidWriteError,
        );
        await expect(
          store.saveCharacters([{ ...write(k, 0, {}), data: [] as never }]),
        ).rejects.toBeInstanceOf(StoreInvalidWriteError);
        expect(await store.loadCharacter(k)).toBeUndefined();
        expect(await store.saveCharacters([])).toEqual([]);
      });

      it('keeps JSON exactly: nesting, unicode, NUL, numbers, empty containers', async () => {
        const k = key('kate');
        const data = {
          location: { zone: 'zöne', room: '部屋' },
          inventory: [],
          stats: { hp: 1.5, neg: -3, big: 2 ** 52, flag: true, none: null },
          notes: {
            deep: {
              deeper: ['nul\u0000byte', '🐉', 'line\nbreak', 'tab\t', 'quote"', "apos'", 'back\\slash'],
            },
          },
        };
        await store.saveCharacters([write(k, 0, data)]);
        expect((await store.loadCharacter(k))?.data).toEqual(data);
      });
    });

    describe('world', () => {
      it('saves world entries with versions and loads them by literal prefix', async () => {
        const p = key('room:');
        const writes = [
          write(`${p}/a`, 0, { items: ['coin'] }),
          write(`${p}/b`, 0, { items: [] }),
          write(`${p}_x`, 0, { items: ['hat'] }),
        ];
        expect((await store.saveWorld(writes)).every((r) => r.ok)).toBe(true);
        expect((await store.saveWorld([write(`${p}/a`, 1, { items: ['coin', 'gem'] })]))[0]).toMatchObject({
          ok: true,
          version: 2,
        });
        const loaded = await store.loadWorld(`${p}/`);
        expect(loaded).toEqual([
          { key: `${p}/a`, version: 2, data: { items: ['coin', 'gem'] } },
          { key: `${p}/b`, version: 1, data: { items: [] } },
        ]);
        // `_` and `%` in a prefix are literal characters, not wildcards.
        expect(await store.loadWorld(`${p.slice(0, -1)}_`)).toEqual([]);
        expect(await store.loadWorld(`${p}%`)).toEqual([]);
        expect((await store.saveWorld([write(`${p}/b`, 0, { items: ['x'] }, 'node-b:1')]))[0]).toMatchObject({
          ok: false,
          currentVersion: 1,
        });
      });
    });

    fencingCases({ store: () => store, open: () => harness.open(), key });

    describe('injection attempts are inert', () => {
      const hostile = [
        "Robert'); DROP TABLE characters;--",
        "' OR '1'='1",
        'x"; DELETE FROM accounts; --',
        '$1; SELECT pg_sleep(10)',
        "\\'; TRUNCATE world_state; --",
      ];

      it('stores hostile keys and chat text as plain data', async () => {
        const writes = hostile.map((h, i) => write(`${h}#${key('k')}`, 0, { chat: [h, `say ${h}`], i }));
        expect((await store.saveCharacters(writes)).every((r) => r.ok)).toBe(true);
        expect((await store.saveWorld(writes)).every((r) => r.ok)).toBe(true);
        for (const w of writes) {
          expect(await store.loadCharacter(w.key)).toEqual({ key: w.key, version: 1, data: w.data });
        }
        // Every table is still there and whole.
        const probe = key('probe');
        await store.createAccount({ username: probe, passwordHash: 'h', roles: [] });
        expect(await store.findAccount(probe)).toBeDefined();
        expect(await store.findAccount("' OR '1'='1")).toBeUndefined();
        expect(await store.findSession("' OR '1'='1", new Date())).toBeUndefined();
        expect((await store.loadWorld(hostile[0] as string)).length).toBe(1);
      });
    });

    describe('lifecycle', () => {
      it('reports pool use and refuses calls once closed', async () => {
        const s = await harness.open();
        const stats = s.poolStats();
        expect(stats.active).toBeGreaterThanOrEqual(0);
        expect(stats.idle).toBeGreaterThan(0);
        await s.close();
        await s.close();
        await expect(s.loadCharacter('x')).rejects.toBeInstanceOf(StoreUnavailableError);
      });
    });
  });
}
