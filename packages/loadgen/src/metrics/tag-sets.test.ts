import { describe, expect, it } from 'vitest';
import { Registry } from './registry.js';

const vuTags = Object.freeze({ scenario: 'login' });

describe('series of full tag sets', () => {
  it('keeps every tag set a sample carries, besides the metric itself', () => {
    const reg = new Registry();
    const t = reg.trend('ws_cmd_duration');
    t.add(1, undefined, vuTags);
    t.add(2, { name: 'look' }, vuTags);
    t.add(3, { name: 'look' }, vuTags);
    reg.counter('iterations').add(1, undefined, vuTags);
    reg.counter('dropped_iterations').add(1);
    const snap = reg.snapshot();
    expect(Object.keys(snap).sort()).toEqual([
      'dropped_iterations',
      'iterations',
      'iterations{scenario:login}',
      'ws_cmd_duration',
      'ws_cmd_duration{name:look,scenario:login}',
      'ws_cmd_duration{scenario:login}',
    ]);
  });

  it('records a sample once when a threshold names its exact tag set', () => {
    const reg = new Registry(['iterations{scenario:login}']);
    reg.counter('iterations').add(1, undefined, vuTags);
    reg.counter('iterations').add(1, undefined, vuTags);
    expect(reg.snapshot()['iterations{scenario:login}']).toEqual({ type: 'counter', count: 2 });
  });

  it('keeps a threshold series exact past the cap', () => {
    const reg = new Registry(['hits{zone:town}'], 2);
    const c = reg.counter('hits');
    for (let i = 0; i < 10; i++) c.add(1, { zone: 'town', player: `p${i}` }, vuTags);
    const snap = reg.snapshot();
    expect(snap['hits{zone:town}']).toEqual({ type: 'counter', count: 10 });
    expect(snap['hits{__overflow__:true}']).toEqual({ type: 'counter', count: 8 });
    expect(Object.keys(snap).filter((k) => k.startsWith('hits{player:'))).toHaveLength(2);
  });

  it('counts a check in checks, its own series and its full tag set, each once', () => {
    const reg = new Registry(['checks{check:auth}']);
    const checks = reg.rate('checks');
    checks.addCheck('checks{check:auth}', true, Object.freeze({ check: 'auth' }), vuTags);
    checks.addCheck('checks{check:auth}', false, Object.freeze({ check: 'auth' }), vuTags);
    const snap = reg.snapshot();
    expect(snap.checks).toEqual({ type: 'rate', passes: 1, fails: 1 });
    expect(snap['checks{check:auth}']).toEqual({ type: 'rate', passes: 1, fails: 1 });
    expect(snap['checks{check:auth,scenario:login}']).toEqual({ type: 'rate', passes: 1, fails: 1 });
  });
});
