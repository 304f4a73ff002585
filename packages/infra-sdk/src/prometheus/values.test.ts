import { describe, expect, it } from 'vitest';
import { PrometheusResponseError } from './errors.js';
import { formatSampleValue, parseSampleValue } from './values.js';

describe('parseSampleValue', () => {
  it('reads what Go prints, including NaN and the infinities', () => {
    expect(parseSampleValue('NaN')).toBeNaN();
    expect(parseSampleValue('+Inf')).toBe(Number.POSITIVE_INFINITY);
    expect(parseSampleValue('-Inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(parseSampleValue('1e-07')).toBe(1e-7);
    expect(parseSampleValue('-0')).toBe(-0);
    expect(parseSampleValue('9007199254740993')).toBe(9007199254740992);
  });

  it('rejects what is not a sample value', () => {
    for (const bad of ['', 'abc', 1, null, 'inf']) {
      expect(() => parseSampleValue(bad)).toThrow(PrometheusResponseError);
    }
  });

  it('formats back what it parses', () => {
    for (const text of ['NaN', '+Inf', '-Inf', '0.5', '-3']) {
      expect(formatSampleValue(parseSampleValue(text))).toBe(text);
    }
  });
});
