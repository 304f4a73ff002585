import { describe, expect, it } from 'vitest';
import { CommandError } from '../errors.js';
import { defineCommand } from '../game/command.js';
import { defineGame } from '../game/game-definition.js';
import { InputWriter } from '../ipc/input-batch.js';
import { type OutputBatch, SendFlag } from '../ipc/output-batch.js';
import type { HandoffRecord } from '../ipc/state-batch.js';
import { Shard, type TickResult } from './shard.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

const game = defineGame({
  name: 'unit',
  zones: [{ id: 'here' }, { id: 'there' }],
  start: { zone: 'here', room: 'hall' },
  commands: [
    defineCommand({
      name: 'say',
      run: (ctx, text) => {
        ctx.toRoom('here', 'hall', { type: 'chat', channel: 'say', from: ctx.player.username, text });
        ctx.reply('said');
        ctx.reply('twice', { n: 2 });
      },
    }),
    defineCommand({
      name: 'travel',
      run: (ctx) => ctx.movePlayer(ctx.player, { zone: 'there', room: 'hall' }),
    }),
    defineCommand({
      name: 'refuse',
      run: () => {
        throw new CommandError('no');
      },
    }),
  ],
});

function runtime(): Shard {
  return new Shard({
    index: 0,
    count: 2,
    gateways: 2,
    game,
    gameOptions: undefined,
    zoneMap: { here: 0, there: 1 },
    log: silent,
    now: () => 1000,
  });
}

/** Input records, written as a gateway writes them. */
function input(write: (w: InputWriter) => void): unknown[] {
  const w = new InputWriter();
  write(w);
  return w.take();
}

function join(rt: Shard, gateway: number, conn: number, name: string): void {
  rt.receiveInput(
    gateway,
    input((w) =>
      w.join({
        conn,
        username: name,
        session: `s${conn}`,
        roles: [],
        capabilities: [],
        since: 0,
        snapshot: null,
        restore: false,
      }),
    ),
  );
}

const cmd = (conn: number, line: string, id: string | number | null, receivedAt = 0) =>
  input((w) => w.command(conn, line, id, receivedAt));

/** Runs tick `n` at time `now` (100 ms ticks). */
function tick(rt: Shard, n: number, now = 1000 + n * 100): TickResult {
  return rt.tick(n, now, 100);
}

const output = (r: TickResult, g: number): OutputBatch => r.outputs[g]!;

const adoptee = (username: string, conn: number, to: number): HandoffRecord => ({
  to,
  gateway: 0,
  conn,
  username,
  session: 's',
  roles: [],
  capabilities: [],
  since: 0,
  version: 1,
  zone: 'here',
  room: 'hall',
  state: {},
});

describe('Shard', () => {
  it('gathers a command reply into one message carrying re', () => {
    const rt = runtime();
    join(rt, 0, 1, 'ann');
    rt.receiveInput(0, cmd(1, 'say hi', 'r1', 999));
    const out = output(tick(rt, 1), 0);
    const reply = out.strings.map((s) => JSON.parse(s)).find((m) => m.type === 'reply');
    expect(reply).toEqual({ type: 'reply', re: 'r1', ok: true, text: 'said\ntwice', data: { n: 2 } });
    expect(out.timings).toEqual([999]);
  });

  it('encodes a broadcast once per gateway however many players receive it', () => {
    const rt = runtime();
    for (let i = 1; i <= 4; i++) join(rt, 0, i, `p${i}`);
    join(rt, 1, 9, 'far');
    tick(rt, 1);
    rt.receiveInput(0, cmd(1, 'say hello', null));
    const result = tick(rt, 2);
    const g0 = output(result, 0);
    const g1 = output(result, 1);
    const chats0 = g0.strings.filter((s) => s.includes('"chat"'));
    expect(chats0).toHaveLength(1);
    // Four players on gateway 0 got the same string index.
    const chatIndex = g0.strings.indexOf(chats0[0]!);
    const receivers = [];
    for (let i = 0; i < g0.sends.length; i += 3)
      if (g0.sends[i + 1] === chatIndex) receivers.push(g0.sends[i]);
    expect(receivers.sort()).toEqual([1, 2, 3, 4]);
    expect(g1.strings.filter((s) => s.includes('"chat"'))).toHaveLength(1);
  });

  it('hands a player to the shard that owns the zone and forwards its late input', () => {
    const rt = runtime();
    join(rt, 0, 1, 'ann');
    tick(rt, 1);
    rt.receiveInput(0, [...cmd(1, 'travel', null), ...cmd(1, 'say late', 'x')]);
    const state = tick(rt, 2).state!;
    expect(state.handoffs).toHaveLength(1);
    expect(state.handoffs[0]).toMatchObject({ to: 1, username: 'ann', zone: 'there', room: 'hall', conn: 1 });
    expect(state.forwards).toEqual([{ shard: 1, gateway: 0, ops: cmd(1, 'say late', 'x') }]);
    expect(rt.findPlayer('ann')).toBeUndefined();
  });

  it("keeps the client's order across a handoff: forwarded input runs before newer direct input", () => {
    const rt = new Shard({
      index: 1,
      count: 2,
      gateways: 1,
      game,
      gameOptions: undefined,
      zoneMap: { here: 1, there: 0 },
      log: silent,
      now: () => 1000,
    });
    rt.receiveAdopt([adoptee('ann', 5, 1)]);
    tick(rt, 1);
    // Straight from the gateway (sent after the route moved): held.
    rt.receiveInput(0, cmd(5, 'say third', 3));
    // Forwarded by the old shard: sent earlier by the client, so it runs first.
    rt.receiveInput(0, [...cmd(5, 'say first', 1), ...cmd(5, 'say second', 2)], true);
    rt.receiveInput(
      0,
      input((w) => w.routed(5)),
      true,
    );
    const out = output(tick(rt, 2), 0);
    const order = out.strings
      .map((t) => JSON.parse(t))
      .filter((m) => m.type === 'reply')
      .map((m) => m.re);
    expect(order).toEqual([1, 2, 3]);
  });

  it('runs held input anyway when the marker never comes', () => {
    const rt = runtime();
    rt.receiveAdopt([adoptee('bob', 5, 0)]);
    tick(rt, 1);
    rt.receiveInput(0, cmd(5, 'say late', 'l'));
    expect(output(tick(rt, 2), 0)).toBeNull();
    const replies = output(tick(rt, 30), 0).strings.filter((t) => t.includes('"re":"l"'));
    expect(replies).toHaveLength(1);
  });

  it('answers a refused command with ok:false and its message, with or without an id', () => {
    const rt = runtime();
    join(rt, 0, 1, 'ann');
    tick(rt, 1);
    rt.receiveInput(0, [...cmd(1, 'refuse', 7), ...cmd(1, 'refuse', null)]);
    const out = output(tick(rt, 2), 0).strings.map((s) => JSON.parse(s));
    expect(out[0]).toEqual({ type: 'reply', re: 7, ok: false, text: 'no' });
    expect(out[1]).toMatchObject({ type: 'error', code: 'LEV_ERR_COMMAND_FAILED', message: 'no' });
  });

  it('marks low-priority sends so the gateway can drop them first', () => {
    const rt = runtime();
    join(rt, 0, 1, 'ann');
    tick(rt, 1);
    rt.fanOut.sendTo('ann', { type: 'text', text: 'ambient' }, { priority: 'low' });
    const out = output(tick(rt, 2), 0);
    expect(out.sends).toEqual([1, 0, SendFlag.Low]);
  });

  it('runs systems every N ticks and timers when due, and a failing one does not stop the others', () => {
    const seen: string[] = [];
    const timed = defineGame({
      name: 'systems',
      zones: [{ id: 'here' }],
      start: { zone: 'here' },
      commands: [],
      systems: [
        { name: 'every', run: (ctx) => seen.push(`every@${ctx.tick}`) },
        { name: 'third', everyTicks: 3, run: (ctx) => seen.push(`third@${ctx.tick}`) },
        {
          name: 'broken',
          run: () => {
            throw new Error('system bug');
          },
        },
      ],
      onZoneLoad: (_zone, ctx) => {
        ctx.timers.after(150, () => seen.push('timer'));
      },
    });
    let clock = 1000;
    const rt = new Shard({
      index: 0,
      count: 1,
      gateways: 1,
      game: timed,
      gameOptions: undefined,
      zoneMap: { here: 0 },
      log: silent,
      now: () => clock,
    });
    for (let n = 1; n <= 3; n++) {
      clock = 1000 + n * 100;
      tick(rt, n, clock);
    }
    expect(seen).toEqual(['every@1', 'every@2', 'timer', 'every@3', 'third@3']);
    expect(rt.counters.systemErrors).toBe(3);
  });

  it('sends to a zone and to everyone, each encoded once per gateway', () => {
    const rt = runtime();
    join(rt, 0, 1, 'ann');
    join(rt, 1, 2, 'bob');
    tick(rt, 1);
    rt.fanOut.toZone('here', { type: 'text', text: 'zone news' });
    rt.fanOut.toAll({ type: 'text', text: 'world news' }, { except: 'bob' });
    const result = tick(rt, 2);
    const g0 = output(result, 0);
    const g1 = output(result, 1);
    expect(g0.strings.filter((t) => t.includes('zone news'))).toHaveLength(1);
    expect(g1.strings.filter((t) => t.includes('zone news'))).toHaveLength(1);
    // toAll goes to every socket of each gateway, except bob's.
    expect(g0.all).toEqual([g0.strings.findIndex((t) => t.includes('world news')), 0, -1]);
    expect(g1.all).toEqual([g1.strings.findIndex((t) => t.includes('world news')), 0, 2]);
  });
});
