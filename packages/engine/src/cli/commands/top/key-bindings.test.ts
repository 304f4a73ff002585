import { describe, expect, it } from 'vitest';
import { applyKey } from './key-bindings.js';
import { INITIAL_VIEW_STATE } from './view-state.js';

describe('applyKey', () => {
  const s = INITIAL_VIEW_STATE;
  it('picks a view by number and cycles them with Tab (Shift-Tab backwards)', () => {
    expect(applyKey(s, '2', {})).toEqual({ ...s, view: 'grid' });
    expect(applyKey(s, '3', {})).toEqual({ ...s, view: 'zones' });
    expect(applyKey({ ...s, view: 'zones' }, '1', {})).toEqual(s);
    expect(applyKey(s, '', { tab: true })).toEqual({ ...s, view: 'grid' });
    expect(applyKey({ ...s, view: 'zones' }, '', { tab: true })).toEqual(s);
    expect(applyKey(s, '', { tab: true, shift: true })).toEqual({ ...s, view: 'zones' });
  });
  it('cycles the sort with s: players, load, name, players', () => {
    const load = applyKey(s, 's', {});
    expect(load).toEqual({ ...s, sort: 'load' });
    const name = applyKey(load as typeof s, 's', {});
    expect(name).toEqual({ ...s, sort: 'name' });
    expect(applyKey(name as typeof s, 's', {})).toEqual(s);
  });
  it('opens and closes the help with ?, closes it with Esc', () => {
    expect(applyKey(s, '?', {})).toEqual({ ...s, help: true });
    expect(applyKey({ ...s, help: true }, '?', {})).toEqual(s);
    expect(applyKey({ ...s, help: true }, '', { escape: true })).toEqual(s);
  });
  it('quits on q and Ctrl-C; other keys change nothing', () => {
    expect(applyKey(s, 'q', {})).toBe('quit');
    expect(applyKey(s, 'c', { ctrl: true })).toBe('quit');
    expect(applyKey(s, 'c', {})).toBe(s);
    expect(applyKey(s, '9', {})).toBe(s);
    expect(applyKey(s, 'x', {})).toBe(s);
  });
});
