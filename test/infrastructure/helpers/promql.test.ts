import { describe, expect, it } from 'vitest';
import { alertLeftHandSide, withAllInstances } from './promql.js';

describe('alertLeftHandSide', () => {
  it('drops the final comparison to a number', () => {
    expect(alertLeftHandSide('up{job="leviathan-engine"} == 0')).toBe('up{job="leviathan-engine"}');
    expect(alertLeftHandSide('leviathan:command_duration_seconds:p99 > 0.25')).toBe(
      'leviathan:command_duration_seconds:p99',
    );
    expect(alertLeftHandSide('max by (instance) (x) >= 1e4')).toBe('max by (instance) (x)');
    expect(alertLeftHandSide('a < bool -1.5')).toBe('a');
  });

  it('keeps comparisons inside the expression', () => {
    expect(alertLeftHandSide('sum(x > 1) > 2')).toBe('sum(x > 1)');
  });

  it('refuses an expression without a final comparison to a number', () => {
    expect(alertLeftHandSide('absent(up)')).toBeUndefined();
    expect(alertLeftHandSide('a > b')).toBeUndefined();
    expect(alertLeftHandSide('> 1')).toBeUndefined();
  });
});

describe('withAllInstances', () => {
  it('replaces every $instance', () => {
    expect(withAllInstances('a{instance=~"$instance"} / b{instance=~"$instance"}')).toBe(
      'a{instance=~".*"} / b{instance=~".*"}',
    );
  });

  it("sets Grafana's interval variables to a minute", () => {
    expect(withAllInstances('rate(a[$__rate_interval]) + rate(b[$__interval])')).toBe(
      'rate(a[1m]) + rate(b[1m])',
    );
  });
});
