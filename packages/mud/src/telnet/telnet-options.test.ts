import { describe, expect, it } from 'vitest';
import { DO, DONT, OptionTable, type Party, TelnetOption, WILL, WONT } from './telnet-options.js';

/** A table that records what it sends and what changes; two tables can talk to each other. */
function table(usAllowed: number[], himAllowed: number[]) {
  const sent: number[][] = [];
  const changes: Array<[Party, number, boolean]> = [];
  const t = new OptionTable(usAllowed, himAllowed, {
    send: (verb, option) => sent.push([verb, option]),
    changed: (party, option, enabled) => changes.push([party, option, enabled]),
  });
  return { t, sent, changes };
}

describe('OptionTable (RFC 1143 Q method)', () => {
  it('refuses options it does not support, once, and never acknowledges a refusal', () => {
    const { t, sent } = table([], []);
    t.received(DO, 24);
    t.received(WILL, 24);
    t.received(DONT, 24);
    t.received(WONT, 24);
    expect(sent).toEqual([
      [WONT, 24],
      [DONT, 24],
    ]);
  });

  it('agrees to what it supports and treats the answer to its own offer as agreement', () => {
    const { t, sent, changes } = table([TelnetOption.Gmcp], [TelnetOption.Naws]);
    t.request('us', TelnetOption.Gmcp, true);
    t.request('him', TelnetOption.Naws, true);
    expect(sent).toEqual([
      [WILL, TelnetOption.Gmcp],
      [DO, TelnetOption.Naws],
    ]);
    t.received(DO, TelnetOption.Gmcp);
    t.received(WILL, TelnetOption.Naws);
    expect(sent).toHaveLength(2); // answers to offers are not answered again
    expect(t.enabled('us', TelnetOption.Gmcp)).toBe(true);
    expect(t.enabled('him', TelnetOption.Naws)).toBe(true);
    expect(changes).toEqual([
      ['us', TelnetOption.Gmcp, true],
      ['him', TelnetOption.Naws, true],
    ]);
    // A client that repeats itself gets no answer: nothing can loop.
    t.received(DO, TelnetOption.Gmcp);
    t.received(WILL, TelnetOption.Naws);
    expect(sent).toHaveLength(2);
  });

  it('queues the opposite request while one is pending, and sends it once answered', () => {
    const { t, sent } = table([], []);
    t.request('us', TelnetOption.Echo, true);
    t.request('us', TelnetOption.Echo, false); // asked before the client answered: queued
    expect(sent).toEqual([[WILL, TelnetOption.Echo]]);
    t.received(DO, TelnetOption.Echo);
    expect(sent).toEqual([
      [WILL, TelnetOption.Echo],
      [WONT, TelnetOption.Echo],
    ]);
    t.received(DONT, TelnetOption.Echo);
    expect(t.enabled('us', TelnetOption.Echo)).toBe(false);
    expect(sent).toHaveLength(2);
  });

  it('two tables that both offer and both agree settle without a loop', () => {
    const a = table([TelnetOption.SuppressGoAhead], [TelnetOption.SuppressGoAhead]);
    const b = table([TelnetOption.SuppressGoAhead], [TelnetOption.SuppressGoAhead]);
    a.t.request('us', TelnetOption.SuppressGoAhead, true);
    b.t.request('him', TelnetOption.SuppressGoAhead, true);
    // Deliver everything each sent to the other until both are quiet (bounded, to catch a loop).
    let ai = 0;
    let bi = 0;
    for (let round = 0; round < 10 && (ai < a.sent.length || bi < b.sent.length); round++) {
      while (ai < a.sent.length) b.t.received(a.sent[ai]![0]!, a.sent[ai++]![1]!);
      while (bi < b.sent.length) a.t.received(b.sent[bi]![0]!, b.sent[bi++]![1]!);
    }
    expect(ai + bi).toBeLessThanOrEqual(2);
    expect(a.t.enabled('us', TelnetOption.SuppressGoAhead)).toBe(true);
    expect(b.t.enabled('him', TelnetOption.SuppressGoAhead)).toBe(true);
  });

  it('a client turning an enabled option off is acknowledged once', () => {
    const { t, sent, changes } = table([TelnetOption.Compress2], []);
    t.received(DO, TelnetOption.Compress2);
    t.received(DONT, TelnetOption.Compress2);
    t.received(DONT, TelnetOption.Compress2);
    expect(sent).toEqual([
      [WILL, TelnetOption.Compress2],
      [WONT, TelnetOption.Compress2],
    ]);
    expect(changes.at(-1)).toEqual(['us', TelnetOption.Compress2, false]);
  });
});
