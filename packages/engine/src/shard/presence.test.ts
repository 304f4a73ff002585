import { describe, expect, it } from 'vitest';
import { defineCommand } from '../game/command.js';
import { defineGame, type GameDefinition } from '../game/game-definition.js';
import type { PresenceOptions } from '../game/presence.js';
import { InputWriter } from '../ipc/input-batch.js';
import { type OutputBatch, SendFlag } from '../ipc/output-batch.js';
import { LOW_BYTES_PER_TICK, LOW_PER_TICK } from './fan-out.js';
import { Shard } from './shard.js';

// ctx.presence and the crowd budgets through a real Shard: players join through input batches
// as a gateway writes them, and the assertions read the output batch the gateway would get.

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function crowdGame(presence?: PresenceOptions): GameDefinition {
  return defineGame({
    name: 'crowd',
    zones: [{ id: 'plaza' }],
    start: { zone: 'plaza', room: 'gate' },
    ...(presence === undefined ? {} : { presence }),
    commands: [
      defineCommand({
        name: 'walk',
        run: (ctx) => {
          const p = ctx.player;
          ctx.presence('plaza', 'gate', {
            event: 'depart',
            name: p.username,
            direction: 'north',
            text: `${p.username} leaves north.`,
          });
          ctx.movePlayer(p, { zone: 'plaza', room: 'fountain' });
          ctx.reply('You walk north.');
        },
      }),
      defineCommand({
        name: 'shout',
        run: (ctx, text) => ctx.toRoom('plaza', 'gate', { type: 'text', text }),
      }),
    ],
    onPlayerEnter: (player, ctx) => {
      ctx.presence('plaza', 'gate', {
        event: 'arrive',
        name: player.username,
        text: `${player.username} arrives.`,
      });
    },
  });
}

function shard(game: GameDefinition): Shard {
  return new Shard({
    index: 0,
    count: 1,
    gateways: 1,
    game,
    gameOptions: undefined,
    zoneMap: { plaza: 0 },
    log: silent,
    now: () => 1000,
  });
}

/** Joins players `names` (conn = their index in `all`) in one input batch. */
function join(rt: Shard, names: readonly string[], firstConn: number): void {
  const w = new InputWriter();
  names.forEach((username, i) => {
    w.join({
      conn: firstConn + i,
      username,
      session: `s${username}`,
      roles: [],
      capabilities: [],
      since: 0,
      snapshot: null,
      restore: false,
    });
  });
  rt.receiveInput(0, w.take());
}

let clock = 0;
function tick(rt: Shard): OutputBatch | null {
  clock++;
  const now = 1000 + clock * 100;
  return rt.tick(clock, now, 100).outputs[0] ?? null;
}

/** What each connection received, decoded, in order. */
function received(out: OutputBatch | null): Map<number, unknown[]> {
  const byConn = new Map<number, unknown[]>();
  if (out === null) return byConn;
  for (let i = 0; i < out.sends.length; i += 3) {
    const conn = out.sends[i]!;
    const list = byConn.get(conn) ?? [];
    list.push(JSON.parse(out.strings[out.sends[i + 1]!]!));
    byConn.set(conn, list);
  }
  return byConn;
}

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** Ticks until a room told of a crowd (the first players joining) tells events again. */
function settle(rt: Shard): void {
  for (let i = 0; i < 10; i++) tick(rt);
}

describe('ctx.presence', () => {
  it('tells a few arrivals one by one, to everyone there but the one arriving', () => {
    const rt = shard(crowdGame());
    join(rt, ['ann'], 0);
    tick(rt);
    join(rt, ['bob', 'cy'], 1);
    const got = received(tick(rt));
    expect(got.get(0)).toEqual([
      { type: 'presence', event: 'arrive', name: 'bob', kind: 'player' },
      { type: 'text', text: 'bob arrives.', channel: 'room' },
      { type: 'presence', event: 'arrive', name: 'cy', kind: 'player' },
      { type: 'text', text: 'cy arrives.', channel: 'room' },
    ]);
    // bob hears of cy (who came after him in the same tick) but not of himself.
    expect(got.get(1)).toEqual([
      { type: 'presence', event: 'arrive', name: 'cy', kind: 'player' },
      { type: 'text', text: 'cy arrives.', channel: 'room' },
    ]);
    expect(got.get(2)).toEqual([
      { type: 'presence', event: 'arrive', name: 'bob', kind: 'player' },
      { type: 'text', text: 'bob arrives.', channel: 'room' },
    ]);
  });

  it('tells a crowd arriving in one tick as one summary, encoded once for the whole room', () => {
    const rt = shard(crowdGame());
    join(rt, names('p', 20), 0);
    settle(rt);
    join(rt, names('new', 12), 100);
    const out = tick(rt)!;
    const got = received(out);
    const summary = {
      type: 'presence',
      event: 'arrive',
      name: 'new0',
      kind: 'player',
      count: 12,
      names: ['new0', 'new1', 'new2'],
    };
    const line = { type: 'text', text: 'New0, new1, new2 and 9 others arrive.', channel: 'room' };
    for (let conn = 0; conn < 20; conn++) expect(got.get(conn)).toEqual([summary, line]);
    // The twelve are not told of their own arrival.
    for (let conn = 100; conn < 112; conn++) expect(got.get(conn)).toBeUndefined();
    // Two strings in all: the summary and its line, whatever the crowd.
    expect(out.strings).toHaveLength(2);
    expect(out.sends[2]).toBe(SendFlag.Event);
  });

  it('summarises arrivals and departures apart, keeps a shared direction, and leaves after the commands', () => {
    const rt = shard(crowdGame());
    join(rt, names('p', 10), 0);
    settle(rt);
    const w = new InputWriter();
    for (let conn = 0; conn < 5; conn++) w.command(conn, 'walk', null, 0);
    w.command(9, 'shout hello', null, 0);
    rt.receiveInput(0, w.take());
    const got = received(tick(rt));
    // p9 stayed: it hears its own shout first (sent during the tick), then the departures.
    expect(got.get(9)).toEqual([
      { type: 'text', text: 'hello' },
      {
        type: 'presence',
        event: 'depart',
        name: 'p0',
        kind: 'player',
        count: 5,
        names: ['p0', 'p1', 'p2'],
        direction: 'north',
      },
      { type: 'text', text: 'P0, p1, p2 and 2 others leave.', channel: 'room' },
    ]);
  });

  it('takes the summary threshold, its names, its words and the channel from the game', () => {
    const rt = shard(
      crowdGame({
        summaryAbove: 1,
        summaryNames: 1,
        channel: 'crowd',
        summaryText: (s) => `${s.count} people ${s.event} at ${s.zone}:${s.room}; first ${s.names.join()}.`,
      }),
    );
    join(rt, ['ann'], 0);
    tick(rt);
    join(rt, ['bob', 'cy'], 1);
    expect(received(tick(rt)).get(0)).toEqual([
      { type: 'presence', event: 'arrive', name: 'bob', kind: 'player', count: 2, names: ['bob'] },
      { type: 'text', text: '2 people arrive at plaza:gate; first bob.', channel: 'crowd' },
    ]);
  });

  it('gathers a crowd that keeps coming into one summary per summaryEveryTicks', () => {
    const rt = shard(crowdGame({ summaryEveryTicks: 5 }));
    join(rt, ['ann'], 0);
    tick(rt);
    join(rt, names('a', 4), 1);
    expect(received(tick(rt)).get(0)).toEqual([
      { type: 'presence', event: 'arrive', name: 'a0', kind: 'player', count: 4, names: ['a0', 'a1', 'a2'] },
      { type: 'text', text: 'A0, a1, a2 and 1 other arrive.', channel: 'room' },
    ]);
    // The next four ticks' arrivals wait, then leave as one.
    for (let t = 0; t < 4; t++) {
      join(rt, [`b${t}`], 10 + t);
      expect(received(tick(rt)).get(0)).toBeUndefined();
    }
    join(rt, ['b4'], 14);
    expect(received(tick(rt)).get(0)).toEqual([
      { type: 'presence', event: 'arrive', name: 'b0', kind: 'player', count: 5, names: ['b0', 'b1', 'b2'] },
      { type: 'text', text: 'B0, b1, b2 and 2 others arrive.', channel: 'room' },
    ]);
    // Quiet for a while: the room is back to telling events as they come.
    for (let t = 0; t < 5; t++) tick(rt);
    join(rt, ['late'], 20);
    expect(received(tick(rt)).get(0)).toEqual([
      { type: 'presence', event: 'arrive', name: 'late', kind: 'player' },
      { type: 'text', text: 'late arrives.', channel: 'room' },
    ]);
  });

  it('sends no summary line when the events had no text', () => {
    const game = defineGame({
      name: 'quiet',
      zones: [{ id: 'plaza' }],
      start: { zone: 'plaza', room: 'gate' },
      commands: [],
      onPlayerEnter: (player, ctx) =>
        ctx.presence('plaza', 'gate', { event: 'arrive', name: player.username, priority: 'low' }),
    });
    const rt = shard(game);
    join(rt, ['ann'], 0);
    tick(rt);
    join(rt, names('p', 6), 1);
    const out = tick(rt)!;
    expect(received(out).get(0)).toEqual([
      { type: 'presence', event: 'arrive', name: 'p0', kind: 'player', count: 6, names: ['p0', 'p1', 'p2'] },
    ]);
    // Every event was low priority, so is the summary.
    expect(out.sends[2]).toBe(SendFlag.Event | SendFlag.Low);
  });
});

describe('crowd budgets and helpers', () => {
  it(`sheds low-priority messages to a player past ${LOW_PER_TICK} in a tick, and counts them`, () => {
    const rt = shard(crowdGame());
    join(rt, ['ann'], 0);
    tick(rt);
    for (let i = 0; i < LOW_PER_TICK + 4; i++)
      rt.fanOut.toRoom('plaza', 'gate', { type: 'text', text: `chatter ${i}` }, { priority: 'low' });
    rt.fanOut.sendTo('ann', { type: 'text', text: 'important' });
    const got = received(tick(rt)).get(0)!;
    expect(got).toHaveLength(LOW_PER_TICK + 1);
    expect(got.at(-1)).toEqual({ type: 'text', text: 'important' });
    expect(rt.fanOut.droppedLow).toBe(4);
    // A new tick, a new budget.
    rt.fanOut.sendTo('ann', { type: 'text', text: 'more chatter' }, { priority: 'low' });
    expect(received(tick(rt)).get(0)).toEqual([{ type: 'text', text: 'more chatter' }]);
    expect(rt.fanOut.droppedLow).toBe(4);
  });

  it('sheds whole the low-priority broadcasts to a room past the budget, and counts every recipient', () => {
    const rt = shard(crowdGame());
    join(rt, ['ann', 'bob', 'cy'], 0);
    settle(rt);
    const before = rt.fanOut.droppedLow;
    for (let i = 0; i < LOW_PER_TICK + 2; i++)
      rt.fanOut.toRoom('plaza', 'gate', { type: 'text', text: `hubbub ${i}` }, { priority: 'low' });
    const got = received(tick(rt));
    for (const conn of [0, 1, 2]) expect(got.get(conn)).toHaveLength(LOW_PER_TICK);
    expect(rt.fanOut.droppedLow - before).toBe(2 * 3);
  });

  it(`sheds low-priority messages past ${LOW_BYTES_PER_TICK} bytes a tick, but always lets the first through`, () => {
    const rt = shard(crowdGame());
    join(rt, ['ann'], 0);
    settle(rt);
    const big = 'x'.repeat(LOW_BYTES_PER_TICK);
    const half = 'y'.repeat(LOW_BYTES_PER_TICK / 2);
    rt.fanOut.sendTo('ann', { type: 'text', text: big }, { priority: 'low' });
    rt.fanOut.sendTo('ann', { type: 'text', text: 'small' }, { priority: 'low' });
    expect(received(tick(rt)).get(0)).toEqual([{ type: 'text', text: big }]);
    rt.fanOut.sendTo('ann', { type: 'text', text: half }, { priority: 'low' });
    rt.fanOut.sendTo('ann', { type: 'text', text: half }, { priority: 'low' });
    expect(received(tick(rt)).get(0)).toEqual([{ type: 'text', text: half }]);
  });

  it('leaves out every player named in a broadcast `except` list', () => {
    const rt = shard(crowdGame());
    join(rt, ['ann', 'bob', 'cy', 'dee'], 0);
    tick(rt);
    rt.fanOut.toRoom('plaza', 'gate', { type: 'text', text: 'psst' }, { except: ['bob', 'dee'] });
    rt.fanOut.toAll({ type: 'text', text: 'all' }, { except: ['ann', 'cy'] });
    const got = received(tick(rt));
    expect([...got.keys()].sort()).toEqual([0, 1, 2, 3]);
    expect(got.get(0)).toEqual([{ type: 'text', text: 'psst' }]);
    expect(got.get(1)).toEqual([{ type: 'text', text: 'all' }]);
    expect(got.get(2)).toEqual([{ type: 'text', text: 'psst' }]);
    expect(got.get(3)).toEqual([{ type: 'text', text: 'all' }]);
  });

  it("counts a room's players without copying them (Zone.occupants)", () => {
    const rt = shard(crowdGame());
    join(rt, names('p', 7), 0);
    tick(rt);
    const zone = rt.zones.get('plaza')!;
    expect(zone.occupants('gate').size).toBe(7);
    expect(zone.occupants('gate')).toBe(zone.occupants('gate'));
    expect(zone.occupants('nowhere').size).toBe(0);
  });
});
