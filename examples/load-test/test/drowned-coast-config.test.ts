import { UsageError } from '@leviathan/loadgen';
import { describe, expect, it } from 'vitest';
import { coastConfig } from '../src/drowned-coast/config.js';
import { pairOf } from '../src/drowned-coast/pairs.js';

describe('coastConfig', () => {
  it('has small defaults for CI and reads the environment', () => {
    expect(coastConfig({})).toEqual({
      vus: 8,
      duration: '30s',
      cmdP99Ms: 500,
      pauseMs: 500,
      partnerWaitMs: 5000,
      fightMs: 6000,
    });
    expect(coastConfig({ COAST_VUS: '40', COAST_DURATION: '5m', COAST_PAUSE_MS: '0' })).toMatchObject({
      vus: 40,
      duration: '5m',
      pauseMs: 0,
    });
  });

  it('refuses an odd number of VUs, since they play in pairs', () => {
    expect(() => coastConfig({ COAST_VUS: '7' })).toThrow(UsageError);
    expect(() => coastConfig({ COAST_VUS: '7' })).toThrow(
      'COAST_VUS=7: expected an even number (VUs play in pairs)',
    );
  });

  it('names the variable of a value that is not a count', () => {
    expect(() => coastConfig({ COAST_CMD_P99_MS: 'fast' })).toThrow(
      'COAST_CMD_P99_MS=fast: expected an integer >= 1',
    );
    expect(() => coastConfig({ COAST_VUS: '0' })).toThrow('COAST_VUS=0: expected an integer >= 2');
  });
});

describe('pairOf', () => {
  it('pairs VU 1 with 2 and 3 with 4, the odd one leading, one route per pair', () => {
    expect(pairOf(1)).toEqual({ me: 'coast1', partner: 'coast2', leads: true, index: 0 });
    expect(pairOf(2)).toEqual({ me: 'coast2', partner: 'coast1', leads: false, index: 0 });
    expect(pairOf(3)).toEqual({ me: 'coast3', partner: 'coast4', leads: true, index: 1 });
    expect(pairOf(4)).toEqual({ me: 'coast4', partner: 'coast3', leads: false, index: 1 });
  });
});
