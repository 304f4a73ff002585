import { describe, expect, it } from 'vitest';
import { ReplayBuffer } from './replay-buffer.js';
import { type ConnectionRef, SessionKeeper, type SessionKeeperOptions } from './session-keeper.js';

/** A manual clock: timers fire when the test advances time (no real waiting). */
function clock() {
  let now = 0;
  let timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let nextId = 1;
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimer: (id: unknown) => {
      timers = timers.filter((t) => t.id !== id);
    },
    advance(ms: number) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const t of due) t.fn();
    },
  };
}

function keeper(options: Partial<SessionKeeperOptions> = {}) {
  const c = clock();
  const expired: Array<[string, ConnectionRef]> = [];
  const k = new SessionKeeper({
    graceMs: 60_000,
    onExpire: (u, conn) => expired.push([u, conn]),
    now: c.now,
    setTimer: c.setTimer,
    clearTimer: c.clearTimer,
    ...options,
  });
  return { k, c, expired };
}

const A = { gateway: 0, conn: 1 };
const B = { gateway: 1, conn: 7 };

describe('SessionKeeper', () => {
  it('keeps a dropped character for the grace period, then lets it go', () => {
    const { k, c, expired } = keeper();
    expect(k.login('ann')).toMatchObject({ kind: 'join' });
    k.connected('ann', A);
    expect(k.dropped('ann', A)).toBe(true);
    expect(k.isLinkDead('ann')).toBe(true);
    c.advance(59_999);
    expect(expired).toEqual([]);
    c.advance(1);
    expect(expired).toEqual([['ann', A]]);
    expect(k.size).toBe(0);
    expect(k.login('ann')).toMatchObject({ kind: 'join' });
  });

  it('gives a link-dead character back with what it missed, to its resume token', () => {
    const { k, c, expired } = keeper();
    const first = k.login('ann');
    if (first.kind !== 'join') throw new Error('expected a join');
    k.connected('ann', A);
    k.dropped('ann', A);
    expect(k.record('ann', '{"type":"text","text":"bob says hi"}')).toBe(true);
    expect(k.record('bob', 'x')).toBe(false);
    const back = k.login('ann', first.resume);
    expect(back).toMatchObject({
      kind: 'reattach',
      previous: undefined,
      replay: ['{"type":"text","text":"bob says hi"}'],
      missed: 0,
    });
    if (back.kind !== 'reattach') throw new Error('expected a reattach');
    expect(back.resume).not.toBe(first.resume);
    k.connected('ann', B);
    c.advance(120_000);
    expect(expired).toEqual([]);
    // The old token is spent; the new one works after the next drop.
    k.dropped('ann', B);
    expect(k.login('ann', back.resume)).toMatchObject({ kind: 'reattach' });
  });

  it('takes over a connected character, or refuses, by configuration; never two characters', () => {
    const take = keeper({ duplicateLogin: 'takeover' });
    take.k.login('ann');
    take.k.connected('ann', A);
    expect(take.k.login('ann')).toMatchObject({ kind: 'reattach', previous: A, replay: [] });
    expect(take.k.size).toBe(1);
    // The old connection's close is not a drop: it no longer holds the character.
    take.k.connected('ann', B);
    expect(take.k.dropped('ann', A)).toBe(false);
    expect(take.k.isLinkDead('ann')).toBe(false);

    const refuse = keeper({ duplicateLogin: 'refuse' });
    const first = refuse.k.login('ann');
    refuse.k.connected('ann', A);
    expect(refuse.k.login('ann')).toEqual({ kind: 'refuse' });
    expect(refuse.k.login('ann', 'not-the-token')).toEqual({ kind: 'refuse' });
    // The resume token proves it is the same player (a reconnect racing the old socket's close).
    expect(refuse.k.login('ann', first.kind === 'join' ? first.resume : '')).toMatchObject({
      kind: 'reattach',
      previous: A,
    });
  });

  it('lets a quit character go at once, and a grace of 0 keeps nobody', () => {
    const { k, expired } = keeper();
    k.login('ann');
    k.connected('ann', A);
    k.quit('ann');
    expect(k.size).toBe(0);
    const none = keeper({ graceMs: 0 });
    none.k.login('bob');
    none.k.connected('bob', A);
    expect(none.k.dropped('bob', A)).toBe(false);
    expect(none.k.size).toBe(0);
    expect(expired).toEqual([]);
  });
});

describe('ReplayBuffer', () => {
  it('keeps the newest messages within its bounds, oldest first, and counts what it dropped', () => {
    const r = new ReplayBuffer(3, 100);
    for (const m of ['a', 'b', 'c', 'd']) r.push(m);
    expect(r.dropped).toBe(1);
    expect(r.drain()).toEqual(['b', 'c', 'd']);
    expect(r.size).toBe(0);
    const bytes = new ReplayBuffer(10, 5);
    bytes.push('abc');
    bytes.push('de');
    bytes.push('f');
    expect(bytes.drain()).toEqual(['de', 'f']);
    bytes.push('x'.repeat(6));
    expect(bytes.size).toBe(0);
  });
});
