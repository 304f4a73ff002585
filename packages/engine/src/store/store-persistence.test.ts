import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StateBatch } from '../ipc/state-batch.js';
import { StorePersistence } from './store-persistence.js';

const batch = (parts: Partial<StateBatch>): StateBatch => ({
  shard: 0,
  tick: 1,
  players: [],
  loggedOut: [],
  world: [],
  upsert: [],
  remove: [],
  handoffs: [],
  forwards: [],
  messages: [],
  ...parts,
});

const player = (username: string, version: number, room: string) => ({
  username,
  version,
  data: { zone: 'harbor', room, state: { hp: version } },
});

describe('StorePersistence (the server hooks over the embedded store)', () => {
  let dir: string;
  const open = async () => {
    const p = new StorePersistence({ store: { kind: 'embedded', dataDir: dir }, flushIntervalMs: 60_000 });
    await p.open({ registry: new Registry() });
    return p;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lev-sp-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('saves players and world records from state batches and loads them back in a new process', async () => {
    const a = await open();
    a.onStateBatch(
      batch({
        players: [player('ann', 3, 'harbor:stalls')],
        world: [
          { key: 'harbor/stalls', version: 1, data: { items: ['coin'] } },
          { key: 'harbor/gone', version: 1, data: 42 },
        ],
      }),
    );
    // A deletion (null) stays a tombstone: not loaded, but its version is kept.
    a.onStateBatch(batch({ tick: 2, world: [{ key: 'harbor/gone', version: 2, data: null }] }));
    await a.flush();
    await a.close();

    const b = await open();
    expect(await b.loadPlayer('ann')).toEqual({
      username: 'ann',
      version: 1,
      data: { zone: 'harbor', room: 'harbor:stalls', state: { hp: 3 } },
    });
    expect(await b.loadWorld()).toEqual([{ key: 'harbor/stalls', version: 1, data: { items: ['coin'] } }]);
    expect((await b.store?.loadWorld('harbor/gone'))?.[0]).toMatchObject({ version: 1, data: { v: null } });
    // The world was tracked at load: the next change saves over version 1 without a conflict.
    b.onStateBatch(batch({ world: [{ key: 'harbor/stalls', version: 2, data: { items: [] } }] }));
    await b.flush();
    expect((await b.store?.loadWorld('harbor/stalls'))?.[0]).toMatchObject({
      version: 2,
      data: { v: { items: [] } },
    });
    await b.close();
  });

  it('saves a player at logout without waiting for the interval', async () => {
    const p = await open();
    await p.loadPlayer('bo');
    p.onStateBatch(batch({ players: [player('bo', 1, 'harbor:dock')], loggedOut: ['bo'] }));
    const store = p.store!;
    for (let i = 0; i < 100 && (await store.loadCharacter('bo')) === undefined; i++) {
      await new Promise((r) => setImmediate(r));
    }
    expect((await store.loadCharacter('bo'))?.data).toMatchObject({ room: 'harbor:dock' });
    expect(p.writeBehind?.pending).toBe(0);
    await p.close();
  });

  it('serves accounts from the same store', async () => {
    const p = new StorePersistence({
      store: { kind: 'embedded', dataDir: dir },
      accounts: { scrypt: { logN: 10, r: 8, p: 1 } },
    });
    const verifier = p.verifier();
    const pending = verifier.register({
      username: 'cy',
      password: 'long enough',
      remoteAddress: '127.0.0.1',
    });
    await p.open();
    expect(await pending).toMatchObject({ ok: true, username: 'cy' });
    expect(
      await verifier.verify({ username: 'cy', password: 'long enough', remoteAddress: '127.0.0.1' }),
    ).toMatchObject({
      ok: true,
    });
    await p.close();
  });
});
