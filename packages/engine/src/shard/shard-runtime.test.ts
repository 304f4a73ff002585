import { describe, expect, it } from 'vitest';
import { CommandError } from '../errors.js';
import { defineCommand } from '../game/command.js';
import { defineGame } from '../game/game-definition.js';
import { InputOp, SendFlag } from '../ipc/batches.js';
import { ShardRuntime } from './shard-runtime.js';

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

function runtime(): ShardRuntime {
  return new ShardRuntime({
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

function join(rt: ShardRuntime, gateway: number, conn: number, name: string): void {
  rt.applyInput(gateway, [InputOp.Join, conn, name, `s${conn}`, [], [], 0, null, false]);
}

describe('ShardRuntime', () => {
  it('gathers a command reply into one message carrying re', () => {
    const rt = runtime();
    rt.beginTick(1, 1000, 100);
    join(rt, 0, 1, 'ann');
    rt.applyInput(0, [InputOp.Command, 1, 'say hi', 'r1', 999]);
    const out = rt.takeOutput(0, 1100, 100)!;
    const reply = out.strings.map((s) => JSON.parse(s)).find((m) => m.type === 'reply');
    expect(reply).toEqual({ type: 'reply', re: 'r1', ok: true, text: 'said\ntwice', data: { n: 2 } });
    expect(out.timings).toEqual([999]);
  });

  it('encodes a broadcast once per gateway however many players receive it', () => {
    const rt = runtime();
    rt.beginTick(1, 1000, 100);
    for (let i = 1; i <= 4; i++) join(rt, 0, i, `p${i}`);
    join(rt, 1, 9, 'far');
    rt.takeOutput(0, 1100, 100);
    rt.takeOutput(1, 1100, 100);
    rt.applyInput(0, [InputOp.Command, 1, 'say hello', null, 0]);
    const g0 = rt.takeOutput(0, 1100, 100)!;
    const g1 = rt.takeOutput(1, 1100, 100)!;
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
    rt.beginTick(1, 1000, 100);
    join(rt, 0, 1, 'ann');
    rt.takeState();
    rt.applyInput(0, [InputOp.Command, 1, 'travel', null, 0]);
    rt.applyInput(0, [InputOp.Command, 1, 'say late', 'x', 0]);
    const state = rt.takeState()!;
    expect(state.handoffs).toHaveLength(1);
    expect(state.handoffs[0]).toMatchObject({ to: 1, username: 'ann', zone: 'there', room: 'hall', conn: 1 });
    expect(state.forwards).toEqual([[1, 0, [InputOp.Command, 1, 'say late', 'x', 0]]]);
    expect(rt.findPlayer('ann')).toBeUndefined();
  });

  it("keeps the client's order across a handoff: forwarded input runs before newer direct input", () => {
    const rt = new ShardRuntime({
      index: 1,
      count: 2,
      gateways: 1,
      game,
      gameOptions: undefined,
      zoneMap: { here: 1, there: 0 },
      log: silent,
      now: () => 1000,
    });
    rt.beginTick(1, 1000, 100);
    rt.adopt([
      {
        to: 1,
        gateway: 0,
        conn: 5,
        username: 'ann',
        session: 's',
        roles: [],
        capabilities: [],
        since: 0,
        version: 1,
        zone: 'here',
        room: 'hall',
        state: {},
      },
    ]);
    rt.takeOutput(0, 1100, 100);
    // Straight from the gateway (sent after the route moved): held.
    rt.applyInput(0, [InputOp.Command, 5, 'say third', 3, 0]);
    // Forwarded by the old shard: sent earlier by the client, so it runs first.
    rt.applyInput(0, [InputOp.Command, 5, 'say first', 1, 0, InputOp.Command, 5, 'say second', 2, 0], true);
    rt.applyInput(0, [InputOp.Routed, 5], true);
    const out = rt.takeOutput(0, 1100, 100)!;
    const order = out.strings
      .map((t) => JSON.parse(t))
      .filter((m) => m.type === 'reply')
      .map((m) => m.re);
    expect(order).toEqual([1, 2, 3]);
  });

  it('runs held input anyway when the marker never comes', () => {
    const rt = runtime();
    rt.beginTick(1, 1000, 100);
    rt.adopt([
      {
        to: 0,
        gateway: 0,
        conn: 5,
        username: 'bob',
        session: 's',
        roles: [],
        capabilities: [],
        since: 0,
        version: 1,
        zone: 'here',
        room: 'hall',
        state: {},
      },
    ]);
    rt.applyInput(0, [InputOp.Command, 5, 'say late', 'l', 0]);
    rt.takeOutput(0, 1100, 100);
    rt.beginTick(30, 4000, 100);
    rt.runSystems();
    const replies = rt.takeOutput(0, 4100, 100)!.strings.filter((t) => t.includes('"re":"l"'));
    expect(replies).toHaveLength(1);
  });

  it('answers a refused command with ok:false and its message, with or without an id', () => {
    const rt = runtime();
    rt.beginTick(1, 1000, 100);
    join(rt, 0, 1, 'ann');
    rt.takeOutput(0, 1100, 100);
    rt.applyInput(0, [InputOp.Command, 1, 'refuse', 7, 0, InputOp.Command, 1, 'refuse', null, 0]);
    const out = rt.takeOutput(0, 1100, 100)!.strings.map((s) => JSON.parse(s));
    expect(out[0]).toEqual({ type: 'reply', re: 7, ok: false, text: 'no' });
    expect(out[1]).toMatchObject({ type: 'error', code: 'LEV_ERR_COMMAND_FAILED', message: 'no' });
  });

  it('marks low-priority sends so the gateway can drop them first', () => {
    const rt = runtime();
    rt.beginTick(1, 1000, 100);
    join(rt, 0, 1, 'ann');
    rt.takeOutput(0, 1100, 100);
    rt.sendTo('ann', { type: 'text', text: 'ambient' }, { priority: 'low' });
    const out = rt.takeOutput(0, 1100, 100)!;
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
    const rt = new ShardRuntime({
      index: 0,
      count: 1,
      gateways: 1,
      game: timed,
      gameOptions: undefined,
      zoneMap: { here: 0 },
      log: silent,
      now: () => clock,
    });
    for (let tick = 1; tick <= 3; tick++) {
      clock = 1000 + tick * 100;
      rt.beginTick(tick, clock, 100);
      rt.runSystems();
    }
    expect(seen).toEqual(['every@1', 'every@2', 'timer', 'every@3', 'third@3']);
    expect(rt.counters.systemErrors).toBe(3);
  });

  it('sends to a zone and to everyone, each encoded once per gateway', () => {
    const rt = runtime();
    rt.beginTick(1, 1000, 100);
    join(rt, 0, 1, 'ann');
    join(rt, 1, 2, 'bob');
    rt.takeOutput(0, 1100, 100);
    rt.takeOutput(1, 1100, 100);
    rt.toZone('here', { type: 'text', text: 'zone news' });
    rt.toAll({ type: 'text', text: 'world news' }, { except: 'bob' });
    const g0 = rt.takeOutput(0, 1100, 100)!;
    const g1 = rt.takeOutput(1, 1100, 100)!;
    expect(g0.strings.filter((t) => t.includes('zone news'))).toHaveLength(1);
    expect(g1.strings.filter((t) => t.includes('zone news'))).toHaveLength(1);
    // toAll goes to every socket of each gateway, except bob's.
    expect(g0.all).toEqual([g0.strings.findIndex((t) => t.includes('world news')), 0, -1]);
    expect(g1.all).toEqual([g1.strings.findIndex((t) => t.includes('world news')), 0, 2]);
  });
});
