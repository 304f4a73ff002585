import { ErrorCode } from '@leviathan/protocol';
import { describe, expect, it, vi } from 'vitest';
import type { LoginResult } from '../ipc/gateway-link.js';
import { ZONE_MOVED_CODE, ZONE_MOVED_REASON } from '../ipc/zone-moved.js';
import { Connection } from './connection.js';
import type { GatewayContext } from './gateway-context.js';
import type { Sessions } from './sessions.js';
import { ZoneMoves } from './zone-moves.js';

/** A cluster gateway's context whose main answers logins from `answers`, in order. */
function harness(answers: LoginResult[]) {
  const byes: Array<[number, string]> = [];
  const joined: number[] = [];
  const logouts: Array<[string, boolean]> = [];
  const ctx = {
    config: { cluster: { redisUrl: 'redis://127.0.0.1:6379' } },
    host: {
      login: async () => answers.shift() ?? { ok: false, code: ErrorCode.Internal, message: 'none left' },
      logout: (username: string, up: boolean) => logouts.push([username, up]),
    },
    writer: { bye: (_c: Connection, code: number, reason: string) => byes.push([code, reason]) },
    log: { error: () => {} },
    players: new Map(),
  } as unknown as GatewayContext;
  const sessions = {
    join: (c: Connection) => {
      c.joined = true;
      joined.push(c.shard);
    },
  } as unknown as Sessions;
  const c = new Connection(7, '127.0.0.1');
  c.authState = 'done';
  c.username = 'ann';
  c.joined = true;
  c.shard = 1;
  return { moves: new ZoneMoves(ctx, sessions), c, byes, joined, logouts };
}

const ok = (shard: number): LoginResult => ({
  ok: true,
  zone: 'harbor',
  room: null,
  shard,
  snapshot: null,
  resume: 'token',
});
const unavailable: LoginResult = { ok: false, code: ErrorCode.ShardUnavailable, message: 'moving' };

describe('a player whose zone moves, on a cluster gateway', () => {
  it('keeps the socket, logs the player in again until the zone runs, and joins it there', async () => {
    const { moves, c, byes, joined, logouts } = harness([unavailable, ok(3)]);
    moves.endOrCarry(c, ZONE_MOVED_CODE, ZONE_MOVED_REASON);
    expect(c.moving).toBe(true);
    // The same move's second word (another kick for the old session) does not end it.
    moves.endOrCarry(c, ZONE_MOVED_CODE, ZONE_MOVED_REASON);
    await vi.waitFor(() => expect(c.moving).toBe(false));
    expect(byes).toEqual([]);
    expect(joined).toEqual([3]);
    expect(c.joined).toBe(true);
    expect(c.resume).toBe('token');
    expect(logouts).toEqual([['ann', true]]);
  });

  it('closes on any other kick, even while moving', async () => {
    const { moves, c, byes } = harness([unavailable, unavailable, unavailable]);
    moves.endOrCarry(c, ZONE_MOVED_CODE, ZONE_MOVED_REASON);
    moves.endOrCarry(c, 4006, 'logged in from elsewhere');
    expect(byes).toEqual([[4006, 'logged in from elsewhere']]);
  });

  it('sends a player whose node stops taking logins (a drain) away with 1001', async () => {
    const { moves, c, byes } = harness([
      { ok: false, code: ErrorCode.ServerShuttingDown, message: 'the server is shutting down' },
    ]);
    await moves.carry(c, ZONE_MOVED_REASON);
    expect(byes).toEqual([[1001, ZONE_MOVED_REASON]]);
  });
});
