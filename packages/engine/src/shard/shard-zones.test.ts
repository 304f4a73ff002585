import { CloseCode } from '@leviathan/protocol';
import { describe, expect, it } from 'vitest';
import { defineCommand } from '../game/command.js';
import { defineGame } from '../game/game-definition.js';
import { InputWriter } from '../ipc/input-batch.js';
import type { WorldRecord } from '../ipc/state-batch.js';
import { ZONE_MOVED_REASON } from '../ipc/zone-moved.js';
import { Shard, type TickResult } from './shard.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const hooks: string[] = [];

const game = defineGame({
  name: 'zones',
  zones: [{ id: 'home' }, { id: 'away' }],
  start: { zone: 'home', room: 'hall' },
  onZoneLoad: (zone) => hooks.push(`load ${zone.id} ${JSON.stringify(zone.state)}`),
  onZoneUnload: (zone, ctx) => {
    hooks.push(`unload ${zone.id} players=${zone.playerCount}`);
    zone.state = { closedAt: 'now' };
    ctx.markDirty(zone);
  },
  onPlayerLeave: (player, _ctx, reason) => hooks.push(`leave ${player.username} ${reason}`),
  commands: [
    defineCommand({
      name: 'go',
      run: (ctx, zone) => ctx.movePlayer(ctx.player, { zone, room: 'hall' }),
    }),
  ],
});

function input(write: (w: InputWriter) => void): unknown[] {
  const w = new InputWriter();
  write(w);
  return w.take();
}

function join(shard: Shard, conn: number, username: string, zone?: string): void {
  shard.receiveInput(
    0,
    input((w) =>
      w.join({
        conn,
        username,
        session: `s${conn}`,
        roles: [],
        capabilities: [],
        since: 0,
        snapshot:
          zone === undefined ? null : { username, version: 1, data: { zone, room: 'hall', state: {} } },
        restore: false,
      }),
    ),
  );
}

const command = (conn: number, line: string) => input((w) => w.command(conn, line, 'r', 0));
const tick = (shard: Shard, n: number): TickResult => shard.tick(n, 1000 + n * 100, 100);
const replies = (r: TickResult) =>
  (r.outputs[0]?.strings ?? []).map((s) => JSON.parse(s)).filter((m) => m.type === 'reply');

/** A cluster node's shard: it starts with no zone, and main gives it zones as their leases come. */
function emptyShard(): Shard {
  hooks.length = 0;
  return new Shard({
    index: 0,
    count: 1,
    gateways: 1,
    game,
    gameOptions: undefined,
    zoneMap: {},
    log: silent,
    now: () => 1000,
  });
}

describe('Shard zones changed at run time', () => {
  it('loads a zone from its world records, and players can then join it', () => {
    const shard = emptyShard();
    const world: WorldRecord[] = [
      { key: 'home/', version: 4, data: { weather: 'rain' } },
      { key: 'home/boat', version: 2, data: { kind: 'boat', room: 'hall', data: { oars: 2 } } },
    ];
    shard.receiveZones({ load: [{ zone: 'home', world }] });
    tick(shard, 1);
    expect(hooks).toEqual(['load home {"weather":"rain"}']);
    expect(shard.zones.get('home')?.entities.get('boat')).toMatchObject({ kind: 'boat', data: { oars: 2 } });
    join(shard, 1, 'ann');
    tick(shard, 2);
    expect(shard.playerCount).toBe(1);
    // The next save of a loaded record goes above its stored version.
    shard.markDirty(shard.zones.get('home')!);
    const saved = tick(shard, 3).state!.world.find((r) => r.key === 'home/');
    expect(saved?.version).toBe(5);
  });

  it('unloads a zone: its players are disconnected with 1013 and leave, and its final state is in that tick', () => {
    const shard = emptyShard();
    shard.receiveZones({ load: [{ zone: 'home', world: [] }] });
    tick(shard, 1);
    join(shard, 1, 'ann');
    join(shard, 2, 'bob');
    tick(shard, 2);
    hooks.length = 0;
    shard.receiveZones({ unroute: ['home'], unload: ['home'] });
    const result = tick(shard, 3);
    expect(hooks).toEqual(['leave ann shutdown', 'leave bob shutdown', 'unload home players=0']);
    const kicks = result.outputs[0]!.kicks;
    expect(kicks).toEqual([
      1,
      CloseCode.TryAgainLater,
      ZONE_MOVED_REASON,
      2,
      CloseCode.TryAgainLater,
      ZONE_MOVED_REASON,
    ]);
    const state = result.state!;
    expect(state.loggedOut.sort()).toEqual(['ann', 'bob']);
    expect(state.players.map((p) => p.data.zone)).toEqual(['home', 'home']);
    expect(state.world).toContainEqual({ key: 'home/', version: 1, data: { closedAt: 'now' } });
    expect(shard.zones.has('home')).toBe(false);
    expect(shard.playerCount).toBe(0);
  });

  it('loads a zone again after it was unloaded, from the records it is given then', () => {
    const shard = emptyShard();
    shard.receiveZones({ load: [{ zone: 'home', world: [{ key: 'home/', version: 1, data: { n: 1 } }] }] });
    tick(shard, 1);
    shard.receiveZones({ unload: ['home'] });
    tick(shard, 2);
    // Another node held it meanwhile and saved version 7.
    shard.receiveZones({ load: [{ zone: 'home', world: [{ key: 'home/', version: 7, data: { n: 7 } }] }] });
    tick(shard, 3);
    expect(shard.zones.get('home')?.state).toEqual({ n: 7 });
    shard.markDirty(shard.zones.get('home')!);
    expect(tick(shard, 4).state!.world.find((r) => r.key === 'home/')?.version).toBe(8);
  });

  it('refuses a move into a zone of the game that runs on no shard of this node, with its own error', () => {
    const shard = emptyShard();
    shard.receiveZones({ load: [{ zone: 'home', world: [] }] });
    tick(shard, 1);
    join(shard, 1, 'ann');
    tick(shard, 2);
    shard.receiveInput(0, command(1, 'go away'));
    expect(replies(tick(shard, 3))).toMatchObject([{ ok: false }]);
    expect(shard.findPlayer('ann')?.zone).toBe('home');
    shard.receiveZones({ route: { away: 0 }, load: [{ zone: 'away', world: [] }] });
    shard.receiveInput(0, command(1, 'go away'));
    expect(replies(tick(shard, 4))).toMatchObject([{ ok: true }]);
    expect(shard.findPlayer('ann')?.zone).toBe('away');
  });

  it('disconnects a player who joins when neither its zone nor the start zone runs here', () => {
    const shard = emptyShard();
    shard.receiveZones({ load: [{ zone: 'away', world: [] }] });
    tick(shard, 1);
    join(shard, 1, 'ann', 'home');
    const result = tick(shard, 2);
    expect(shard.playerCount).toBe(0);
    expect(result.outputs[0]!.kicks).toEqual([1, CloseCode.TryAgainLater, ZONE_MOVED_REASON]);
  });

  it('keeps its own route for a zone it runs when a late route sends the zone elsewhere', () => {
    const shard = emptyShard();
    shard.receiveZones({
      load: [
        { zone: 'home', world: [] },
        { zone: 'away', world: [] },
      ],
    });
    tick(shard, 1);
    join(shard, 1, 'ann');
    tick(shard, 2);
    // Main's reading of another node's routes, from before this shard loaded 'away'.
    shard.receiveZones({ route: { away: 3 } });
    shard.receiveInput(0, command(1, 'go away'));
    const result = tick(shard, 3);
    expect(replies(result)).toMatchObject([{ ok: true }]);
    expect(result.state?.handoffs ?? []).toEqual([]);
    expect(shard.findPlayer('ann')?.zone).toBe('away');
  });

  it('ignores a load of a zone the game does not define, or of one it runs already', () => {
    const shard = emptyShard();
    shard.receiveZones({ load: [{ zone: 'home', world: [] }] });
    tick(shard, 1);
    shard.zones.get('home')!.state = { kept: true };
    shard.receiveZones({
      load: [
        { zone: 'home', world: [] },
        { zone: 'atlantis', world: [] },
      ],
    });
    tick(shard, 2);
    expect(shard.zones.get('home')?.state).toEqual({ kept: true });
    expect([...shard.zones.keys()]).toEqual(['home']);
  });
});
