import { describe, expect, it } from 'vitest';
import { normalizeOptions } from './normalize.js';
import { applyOverrides } from './overrides.js';
import type { Options } from './types.js';

const scripted: Options = {
  scenarios: { login: { executor: 'constant-vus', vus: 2, duration: '1m' } },
  thresholds: { checks: ['rate>0.99'] },
};

function plan(options: Options, overrides: Parameters<typeof applyOverrides>[1]) {
  const warnings: string[] = [];
  return { plan: normalizeOptions(applyOverrides(options, overrides, (m) => warnings.push(m))), warnings };
}

describe('--vus, --duration, --iterations (k6 semantics)', () => {
  it('--duration replaces the scenarios with constant-vus, keeping the rest of the options', () => {
    const { plan: p } = plan(scripted, { vus: 5, duration: '10s' });
    expect(p.scenarios).toHaveLength(1);
    expect(p.scenarios[0]).toMatchObject({
      name: 'default',
      executor: 'constant-vus',
      vus: 5,
      durationMs: 10_000,
    });
    expect(p.thresholds).toHaveLength(1);
  });

  it('--iterations makes shared-iterations, a --duration with it its maxDuration', () => {
    const { plan: p } = plan(scripted, { vus: 3, iterations: 7, duration: '20s' });
    expect(p.scenarios[0]).toMatchObject({
      executor: 'shared-iterations',
      vus: 3,
      iterations: 7,
      durationMs: 20_000,
    });
  });

  it('--vus alone changes the script shortcut, and is ignored with a warning next to scenarios', () => {
    expect(plan({ vus: 1, duration: '5s' }, { vus: 4 }).plan.scenarios[0]).toMatchObject({
      vus: 4,
      durationMs: 5000,
    });
    const { plan: p, warnings } = plan(scripted, { vus: 9 });
    expect(p.scenarios[0]).toMatchObject({ name: 'login', vus: 2 });
    expect(warnings[0]).toMatch(/--vus is ignored/);
  });

  it('--duration overrides the script stages too', () => {
    const { plan: p } = plan({ stages: [{ duration: '1m', target: 10 }] }, { duration: '3s' });
    expect(p.scenarios[0]).toMatchObject({ executor: 'constant-vus', vus: 1, durationMs: 3000 });
  });
});

describe('--local-ips', () => {
  it('replaces the localAddresses of the scenario, with or without an execution override', () => {
    const spread: Options = { ...scripted, localAddresses: { loopbackSpread: 4 } };
    expect(plan(spread, { localAddresses: ['127.0.0.2', '127.0.0.3'] }).plan.localAddresses).toEqual([
      '127.0.0.2',
      '127.0.0.3',
    ]);
    const { plan: p } = plan(spread, { localAddresses: ['10.0.0.1'], iterations: 3 });
    expect(p.localAddresses).toEqual(['10.0.0.1']);
    expect(p.scenarios[0]).toMatchObject({ executor: 'shared-iterations', iterations: 3 });
    // Without the flag the scenario's own addresses stand.
    expect(plan(spread, {}).plan.localAddresses).toHaveLength(4);
  });
});

describe('lifecycle and ramp-down defaults', () => {
  it('are k6 defaults: 60 s setup/teardown, 30 s gracefulRampDown, 1000 tag sets', () => {
    const p = normalizeOptions({ stages: [{ duration: '1s', target: 1 }] });
    expect(p).toMatchObject({ setupTimeoutMs: 60_000, teardownTimeoutMs: 60_000, maxTagSetsPerMetric: 1000 });
    expect(p.scenarios[0]).toMatchObject({ gracefulRampDownMs: 30_000 });
  });
});
