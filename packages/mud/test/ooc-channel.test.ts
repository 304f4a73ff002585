import type { LeviathanServer } from '@leviathan/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Msg, MudClient } from './helpers/mud-client.js';
import { startMud } from './helpers/mud-server.js';

// Real servers and threads on a shared 2-core machine: every wait is event-driven, and this bound
// only keeps a broken run from hanging.
vi.setConfig({ testTimeout: 120_000 });

// The out-of-character channel over real sessions: the harbour is on shard 0 and the Thornwood on
// shard 1 (helpers/mud-server.ts), so players on both hear each other.
let server: LeviathanServer;
let url: string;
const clients: MudClient[] = [];

beforeAll(async () => {
  ({ server, url } = await startMud());
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.closeAndWait()));
  await server?.close();
});

async function login(name: string): Promise<MudClient> {
  const c = await MudClient.login(url, name);
  clients.push(c);
  return c;
}

const oocText = (c: MudClient, line: string) =>
  c.next((m) => m.type === 'text' && m.channel === 'ooc' && m.text === line, `ooc text "${line}"`);
/** The next ooc line this client hears, whatever it is. */
const nextOoc = (c: MudClient) => c.next((m) => m.type === 'text' && m.channel === 'ooc', 'an ooc line');

describe('the ooc channel', () => {
  it('reaches every player on every shard, and keeps a history for those who come later', async () => {
    const ann = await login('ann');
    const bo = await login('bo');
    // Bo walks north out of town into the Thornwood: shard 1.
    await bo.walk('n', 'n', 'n');
    expect(await bo.walk('n')).toMatchObject({ zone: 'forest' });

    expect((await ann.cmd('ooc')).text).toBe(
      'Nothing has been said on the OOC channel yet. Say something: ooc <text>',
    );

    // Shard 1 to shard 0, and back: text for everyone, the structured chat for clients with events.
    expect(await bo.cmd('ooc anyone know where the smuggler hides?')).toMatchObject({
      ok: true,
      text: '[OOC] bo: anyone know where the smuggler hides?',
    });
    await oocText(ann, '[OOC] bo: anyone know where the smuggler hides?');
    await ann.next(
      (m: Msg) => m.type === 'chat' && m.channel === 'ooc' && m.from === 'bo',
      'chat on the ooc channel',
    );
    await ann.cmd('ooc   try the cliffs, at low tide  ');
    await oocText(bo, '[OOC] ann: try the cliffs, at low tide');

    // Cy logs in afterwards (at the harbour, shard 0) and reads what was said, on both shards,
    // with when: Bo's line was said on shard 1 and told to shard 0 through the engine.
    const cy = await login('cy');
    const history = await cy.cmd('ooc history');
    expect(history.ok).toBe(true);
    expect(history.text).toMatch(
      /^The OOC channel, last 2 lines \(UTC\):\n\d\d:\d\d \[OOC\] bo: anyone know where the smuggler hides\?\n\d\d:\d\d \[OOC\] ann: try the cliffs, at low tide$/,
    );
    const both = [
      { from: 'bo', text: 'anyone know where the smuggler hides?', at: expect.any(Number) },
      { from: 'ann', text: 'try the cliffs, at low tide', at: expect.any(Number) },
    ];
    expect(history.data).toEqual(both);
    // And Bo, on shard 1, reads Ann's line, said on shard 0 (Bo heard it live, so it is there).
    expect((await bo.cmd('ooc')).data).toEqual(both);
  });

  it('keeps the last 20 lines, on every shard', async () => {
    const dag = await login('dag');
    const ed = await login('ed');
    await ed.walk('n', 'n', 'n');
    expect(await ed.walk('n')).toMatchObject({ zone: 'forest' });
    for (let n = 1; n <= 25; n++) await dag.cmd(`ooc count ${n}`);
    const last20 = Array.from({ length: 20 }, (_, i) => `count ${i + 6}`);
    const lines = (await dag.cmd('ooc')).data as Array<{ from: string; text: string }>;
    expect(lines.map((l) => l.text)).toEqual(last20);
    expect((await dag.cmd('ooc')).text).toMatch(/^The OOC channel, last 20 lines \(UTC\):\n/);
    // Ed, on shard 1, heard the last line live: by then shard 1 has all 25 told, and keeps 20.
    await oocText(ed, '[OOC] dag: count 25');
    expect(((await ed.cmd('ooc')).data as Array<{ text: string }>).map((l) => l.text)).toEqual(last20);
  });

  it('refuses a line too long, and sends it to nobody', async () => {
    const eve = await login('eve');
    const fin = await login('fin');
    const refused = await eve.cmd(`ooc ${'a'.repeat(501)}`);
    expect(refused).toMatchObject({
      ok: false,
      text: 'That is too long to say in one breath (500 characters at most).',
    });
    expect((await eve.cmd(`ooc ${'b'.repeat(500)}`)).ok).toBe(true);
    // Fin's next ooc line is the one that fit: the long one never left.
    expect((await nextOoc(fin)).text).toBe(`[OOC] eve: ${'b'.repeat(500)}`);
    expect((await fin.cmd('ooc')).data).not.toContainEqual(
      expect.objectContaining({ text: 'a'.repeat(501) }),
    );
  });

  it('a flood meets the rate limit; what got through reaches everyone once, and the server serves on', async () => {
    const flo = await login('flo');
    const gil = await login('gil');
    // 60 lines in one WebSocket message: over the burst of 40 commands the gateway allows.
    flo.sendLines(
      Array.from({ length: 60 }, (_, i) => ({ type: 'cmd', line: `ooc spam ${i}`, id: `f${i}` })),
    );
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        flo.next((m) => (m.type === 'reply' || m.type === 'error') && m.re === `f${i}`, `answer to f${i}`),
      ),
    );
    const passed = answers.filter((m) => m.type === 'reply' && m.ok);
    const limited = answers.filter((m) => m.type === 'error' && m.code === 'LEV_ERR_RATE_LIMITED');
    expect(limited.length).toBeGreaterThan(0);
    expect(passed.length + limited.length).toBe(60);
    // Gil heard each line that got through, in order, and then the next thing said: nothing more.
    for (const reply of passed) expect((await nextOoc(gil)).text).toBe(reply.text);
    expect((await gil.cmd('ooc still here')).ok).toBe(true);
    await oocText(flo, '[OOC] gil: still here');
  });

  it('a restarted shard gets the history back from the other shards', async () => {
    const hal = await login('hal');
    const ivy = await login('ivy');
    await ivy.walk('n', 'n', 'n');
    expect(await ivy.walk('n')).toMatchObject({ zone: 'forest' });
    await hal.cmd('ooc before the storm');
    await oocText(ivy, '[OOC] hal: before the storm');
    const before = (await ivy.cmd('ooc')).data as unknown[];
    expect(before).toContainEqual({ from: 'hal', text: 'before the storm', at: expect.any(Number) });

    const back = new Promise<void>((resolve) => {
      const onRestart = (shard: unknown): void => {
        if (shard !== 1) return;
        server.events.off('shard-restart', onRestart);
        resolve();
      };
      server.events.on('shard-restart', onRestart);
    });
    await server.killShard(1);
    await back;
    // The new shard 1 asks at its first tick and shard 0 answers: a few ticks, and Ivy's own
    // commands wait for her re-attachment meanwhile, so this asks until both are done.
    await vi.waitFor(async () => expect((await ivy.cmd('ooc')).data).toEqual(before), {
      timeout: 20_000,
      interval: 100,
    });
  });
});
