import { describe, expect, it } from 'vitest';
import { InvalidOptionsError } from '../errors.js';
import { formatDuration, parseDuration } from './duration.js';
import { loopbackAddresses, normalizeOptions } from './normalize.js';

describe('parseDuration', () => {
  it('reads k6 durations', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('10')).toBe(10_000);
    expect(parseDuration(250)).toBe(250);
    expect(formatDuration(90_000)).toBe('1m30s');
  });
  it.each(['', '5x', '1m 2s', '-1s', 'ms', Number.NaN, -1, null])('rejects %j', (v) => {
    expect(() => parseDuration(v)).toThrow(/invalid duration/);
  });
});

describe('normalizeOptions', () => {
  it('turns the seed script stages into one ramping-vus scenario', () => {
    const plan = normalizeOptions({
      stages: [
        { duration: '2m', target: 10 },
        { duration: '5m', target: 100 },
        { duration: '2m', target: 0 },
      ],
    });
    expect(plan.scenarios).toHaveLength(1);
    const s = plan.scenarios[0];
    expect(s?.executor).toBe('ramping-vus');
    expect(s?.maxVus).toBe(100);
    expect(s?.durationMs).toBe(540_000);
    expect(plan.maxEndMs).toBe(570_000);
  });

  it('numbers VU ids across scenarios without overlap', () => {
    const plan = normalizeOptions({
      scenarios: {
        a: { executor: 'constant-vus', vus: 3, duration: '1s' },
        b: { executor: 'constant-arrival-rate', rate: 10, duration: '1s', preAllocatedVUs: 2, maxVUs: 5 },
      },
    });
    expect(plan.scenarios.map((s) => [s.vuIdBase, s.maxVus])).toEqual([
      [0, 3],
      [3, 5],
    ]);
  });

  it('caps shared-iterations VUs at the iteration count', () => {
    const plan = normalizeOptions({ vus: 10, iterations: 3 });
    expect(plan.scenarios[0]?.maxVus).toBe(3);
  });

  it.each([
    [{ scenarios: { x: { executor: 'nope' } } }, 'scenarios.x.executor'],
    [{ scenarios: { x: { executor: 'constant-vus', vus: -1, duration: '1s' } } }, 'scenarios.x.vus'],
    [{ scenarios: { x: { executor: 'constant-vus', vus: 1, duration: 'soon' } } }, 'scenarios.x.duration'],
    [{ scenarios: { x: { executor: 'ramping-vus', stages: [] } } }, 'scenarios.x.stages'],
    [
      {
        scenarios: {
          x: { executor: 'constant-arrival-rate', rate: 1, duration: '1s', preAllocatedVUs: 5, maxVUs: 2 },
        },
      },
      'scenarios.x.maxVUs',
    ],
    [{ stages: [{ duration: '1s', target: 1 }], scenarios: {} }, 'scenarios'],
    [{ thresholds: { checks: [42] } }, 'thresholds["checks"][0]'],
    [{ localAddresses: { loopbackSpread: 0 } }, 'localAddresses.loopbackSpread'],
  ])('rejects %j at %s', (options, path) => {
    try {
      normalizeOptions(options);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidOptionsError);
      expect((e as InvalidOptionsError).path).toBe(path);
      expect((e as InvalidOptionsError).code).toBe('LEV_ERR_LOADGEN_INVALID_OPTIONS');
    }
  });

  it('spreads loopback source addresses, all distinct and inside 127.0.0.0/8', () => {
    const a = loopbackAddresses(600);
    expect(new Set(a).size).toBe(600);
    for (const ip of a) expect(ip).toMatch(/^127\.\d+\.\d+\.\d+$/);
    expect(normalizeOptions({ localAddresses: { loopbackSpread: 3 } }).localAddresses).toEqual([
      '127.0.1.1',
      '127.0.1.2',
      '127.0.1.3',
    ]);
  });
});
