import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LeviathanServer } from '@leviathan/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MudClient } from './helpers/mud-client.js';
import { startMud } from './helpers/mud-server.js';

vi.setConfig({ testTimeout: 120_000 });

// Characters over the wire, on the example world with an embedded store: a character picks up
// weapons on both shards (the forest is on shard 1, the cliffs on shard 0), wields and swaps them,
// and finds its sheet and equipment as it left them after the server restarts.
describe('characters: score, equipment, persistence', () => {
  let data: string;
  let server: LeviathanServer | undefined;
  const clients: MudClient[] = [];

  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'lev-characters-'));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.closeAndWait()));
    await server?.close();
    if (data) await rm(data, { recursive: true, force: true });
  });

  async function login(url: string, name: string): Promise<MudClient> {
    const c = await MudClient.login(url, name);
    clients.push(c);
    return c;
  }

  it('wields and wears across shards, and the character survives a restart exactly', async () => {
    const options = { store: { kind: 'embedded', dataDir: data } };
    let url: string;
    ({ server, url } = await startMud(options));
    // `root` has the admin role (teleport) in the test verifier.
    const root = await login(url, 'root');

    const fresh = await root.cmd('score');
    expect(fresh.text).toContain('root, level 1 (0 experience; 100 to the next level)');
    expect(fresh.text).toContain('Health 30/30   Energy 20/20');
    expect(fresh.text).toContain('You wear and wield nothing.');
    expect(fresh.data).toMatchObject({ level: 1, attack: 6, armor: 2, strength: 10, equipment: {} });

    // The forest, on the other shard: the axe.
    await root.cmd('teleport forest:charcoal-camp');
    await root.next((m) => m.type === 'room' && m.id === 'forest:charcoal-camp');
    expect((await root.cmd('get axe')).text).toBe("You take a woodcutter's axe.");
    expect((await root.cmd('wear axe')).text).toBe("You wield a woodcutter's axe.");
    expect((await root.cmd('equipment')).text).toBe("You are using:\n  wielded: a woodcutter's axe");
    expect((await root.cmd('score')).data).toMatchObject({ attack: 9 });
    // Wielded, it is no longer carried: it cannot be dropped until removed.
    expect((await root.cmd('inventory')).text).toBe('You are carrying nothing.\nYou have 20 coins.');
    expect((await root.cmd('drop axe')).ok).toBe(false);

    // Back on shard 0: the driftwood replaces the axe, which goes back to the pack.
    await root.cmd('teleport cliffs:cove');
    await root.next((m) => m.type === 'room' && m.id === 'cliffs:cove');
    await root.cmd('get driftwood');
    const swap = await root.cmd('wield driftwood');
    expect(swap.text).toBe("You wield a piece of driftwood and put away a woodcutter's axe.");
    expect((await root.cmd('inventory')).text).toBe(
      "You are carrying:\n  a woodcutter's axe\nYou have 20 coins.",
    );
    expect((await root.cmd('score')).data).toMatchObject({ attack: 7 });

    // Refusals are clear and change nothing.
    const back = await root.cmd('wield axe');
    expect(back).toMatchObject({ ok: true });
    expect(back.text).toBe("You wield a woodcutter's axe and put away a piece of driftwood.");
    await root.cmd('wield driftwood');
    for (const [line, answer] of [
      ['wield', 'Wield what?'],
      ['wear lantern', 'You carry no "lantern".'],
      ['remove hat', 'You are not using any "hat".'],
    ] as const) {
      const r = await root.cmd(line);
      expect(r.ok).toBe(false);
      expect(r.text).toBe(answer);
    }
    const before = (await root.cmd('score')).data;

    // The server goes away and comes back on the same store: the same sheet, the same things.
    await root.closeAndWait();
    await server.close();
    ({ server, url } = await startMud(options));
    const again = await login(url, 'root');
    const after = await again.cmd('score');
    expect(after.data).toEqual(before);
    expect(after.text).toContain('wielded: a piece of driftwood');
    expect((await again.cmd('inventory')).text).toBe(
      "You are carrying:\n  a woodcutter's axe\nYou have 20 coins.",
    );
    expect((await again.cmd('remove wood')).text).toBe('You stop using a piece of driftwood.');
    expect((await again.cmd('equipment')).text).toBe('You wear and wield nothing.');
  });
});
