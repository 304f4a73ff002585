import { describe, expect, it } from 'vitest';
import { StoreInvalidWriteError } from '../../src/errors.js';
import type { Store, VersionedWrite } from '../../src/store/store.js';

export interface FencingContext {
  /** The store under test. */
  store(): Store;
  /** Another store on the same database: another node. */
  open(): Promise<Store>;
  /** A fresh name per case. */
  key(base: string): string;
}

const write = (
  key: string,
  expectedVersion: number,
  data: object,
  zone: string,
  token: number,
  writer = 'node-a:1',
): VersionedWrite => ({
  key,
  expectedVersion,
  data: data as VersionedWrite['data'],
  writer,
  fence: { zone, token },
});

/**
 * Fenced saves (cluster leases, docs/cluster.md), part of the store contract: run inside
 * storeContract for every implementation.
 */
export function fencingCases(ctx: FencingContext): void {
  describe('fencing tokens', () => {
    it('knows no token for a new zone, then the highest accepted', async () => {
      const store = ctx.store();
      const zone = ctx.key('zone');
      expect(await store.zoneFence(zone)).toBe(0);
      expect((await store.saveWorld([write(`${zone}/a`, 0, { v: 1 }, zone, 3)]))[0]).toMatchObject({
        ok: true,
      });
      expect(await store.zoneFence(zone)).toBe(3);
      // The token never goes down, even through an accepted write of a lower one elsewhere in time.
      expect((await store.saveWorld([write(`${zone}/a`, 1, { v: 2 }, zone, 5)]))[0]).toMatchObject({
        ok: true,
      });
      expect(await store.zoneFence(zone)).toBe(5);
    });

    it("refuses a save under an older token and keeps the newer owner's data", async () => {
      const store = ctx.store();
      const zone = ctx.key('zone');
      const k = `${zone}/chest`;
      await store.saveWorld([write(k, 0, { gold: 1 }, zone, 2, 'old:1')]);
      await store.saveWorld([write(k, 1, { gold: 50 }, zone, 3, 'new:1')]);
      const stale = await store.saveWorld([write(k, 2, { gold: 0 }, zone, 2, 'old:2')]);
      expect(stale).toEqual([{ key: k, ok: false, fenced: true, currentToken: 3 }]);
      expect(await store.loadWorld(k)).toEqual([{ key: k, version: 2, data: { gold: 50 } }]);
      // The same token saves again.
      expect((await store.saveWorld([write(k, 2, { gold: 60 }, zone, 3, 'new:2')]))[0]).toMatchObject({
        ok: true,
        version: 3,
      });
    });

    it('fences characters too, and judges each write of a mixed batch on its own', async () => {
      const store = ctx.store();
      const lost = ctx.key('lost');
      const held = ctx.key('held');
      await store.saveCharacters([write(`${lost}-p`, 0, { hp: 1 }, lost, 7)]);
      const free = ctx.key('free');
      const results = await store.saveCharacters([
        write(`${lost}-q`, 0, { hp: 2 }, lost, 6),
        write(`${held}-p`, 0, { hp: 3 }, held, 1),
        { key: free, expectedVersion: 0, data: { hp: 4 }, writer: 'node-a:1' },
      ]);
      expect(results).toEqual([
        { key: `${lost}-q`, ok: false, fenced: true, currentToken: 7 },
        { key: `${held}-p`, ok: true, version: 1 },
        { key: free, ok: true, version: 1 },
      ]);
      expect(await store.loadCharacter(`${lost}-q`)).toBeUndefined();
    });

    it('reports a version conflict under a good token as a conflict', async () => {
      const store = ctx.store();
      const zone = ctx.key('zone');
      const k = `${zone}/door`;
      await store.saveWorld([write(k, 0, { open: true }, zone, 1)]);
      expect((await store.saveWorld([write(k, 0, { open: false }, zone, 1, 'node-b:1')]))[0]).toEqual({
        key: k,
        ok: false,
        currentVersion: 1,
        currentWriter: 'node-a:1',
      });
    });

    it('counts a retried fenced write whose first attempt committed as saved', async () => {
      const store = ctx.store();
      const zone = ctx.key('zone');
      const k = `${zone}/x`;
      const first = write(k, 0, { n: 1 }, zone, 4, 'node-a:9');
      await store.saveWorld([first]);
      expect((await store.saveWorld([first]))[0]).toEqual({ key: k, ok: true, version: 1 });
    });

    it('a claimed fence refuses older saves before the new owner has saved anything', async () => {
      const store = ctx.store();
      const zone = ctx.key('zone');
      const k = `${zone}/well`;
      await store.saveWorld([write(k, 0, { water: 1 }, zone, 1, 'old:1')]);
      expect(await store.claimZoneFence(zone, 2)).toBe(2);
      // Claims never lower the fence; a claim below it says what is stored.
      expect(await store.claimZoneFence(zone, 1)).toBe(2);
      const late = await store.saveWorld([write(k, 1, { water: 0 }, zone, 1, 'old:2')]);
      expect(late).toEqual([{ key: k, ok: false, fenced: true, currentToken: 2 }]);
      await expect(store.claimZoneFence(zone, 0)).rejects.toBeInstanceOf(StoreInvalidWriteError);
    });

    it('refuses malformed fences before touching the database', async () => {
      const store = ctx.store();
      const k = ctx.key('bad');
      await expect(store.saveWorld([write(k, 0, {}, '', 1)])).rejects.toBeInstanceOf(StoreInvalidWriteError);
      await expect(store.saveWorld([write(k, 0, {}, 'z', 0)])).rejects.toThrow(/fence token/);
      await expect(store.saveWorld([write(k, 0, {}, 'z', 1.5)])).rejects.toThrow(/fence token/);
      expect(await store.zoneFence('z')).toBe(0);
    });

    it('refuses a malformed zone or token in zoneFence and claimZoneFence, and stores nothing', async () => {
      const store = ctx.store();
      const zone = ctx.key('zone');
      const badZones: unknown[] = ['', 'nul\u0000zone', 'z'.repeat(513), 42, undefined];
      for (const bad of badZones) {
        await expect(store.zoneFence(bad as string), String(bad)).rejects.toThrow(StoreInvalidWriteError);
        await expect(store.claimZoneFence(bad as string, 1), String(bad)).rejects.toThrow(/fence zone/);
      }
      const badTokens: unknown[] = [
        0,
        -1,
        1.5,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        2 ** 53,
        '3',
        undefined,
      ];
      for (const bad of badTokens) {
        await expect(store.claimZoneFence(zone, bad as number), String(bad)).rejects.toThrow(
          StoreInvalidWriteError,
        );
      }
      expect(await store.zoneFence(zone)).toBe(0);
      // The limits themselves are good: a zone of 512 characters, the largest exact integer.
      const longest = `${zone}${'z'.repeat(512 - zone.length)}`;
      expect(await store.claimZoneFence(longest, Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
      expect(await store.zoneFence(longest)).toBe(Number.MAX_SAFE_INTEGER);
    });

    it('two owners saving concurrently: one wins, and the old owner never writes after the new one', async () => {
      const other = await ctx.open();
      try {
        for (let i = 0; i < 20; i++) {
          const zone = ctx.key('race');
          const k = `${zone}/hoard`;
          // Both from version 0: the old owner (token 4) and the new one (token 5), at once.
          const [[oldResult], [newResult]] = await Promise.all([
            ctx.store().saveWorld([write(k, 0, { by: 'old' }, zone, 4, `old:${i}`)]),
            other.saveWorld([write(k, 0, { by: 'new' }, zone, 5, `new:${i}`)]),
          ]);
          // Either order is a serial one: the new owner first (the old one is fenced), or the old
          // owner first (the new one, from the same version, gets a version conflict). Never both.
          expect([oldResult?.ok, newResult?.ok].filter(Boolean)).toHaveLength(1);
          if (newResult?.ok) expect(oldResult).toMatchObject({ fenced: true, currentToken: 5 });
          const winner = newResult?.ok ? 'new' : 'old';
          expect((await ctx.store().loadWorld(k))[0]?.data).toEqual({ by: winner });
          // Once token 5 was seen, token 4 is refused for good.
          expect(
            (await ctx.store().saveWorld([write(k, 1, { by: 'old' }, zone, 4, `old2:${i}`)]))[0],
          ).toMatchObject({ fenced: true });
        }
      } finally {
        await other.close();
      }
    });
  });
}
