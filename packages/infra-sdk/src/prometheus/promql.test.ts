import { describe, expect, it } from 'vitest';
import { PromQlSelectorError } from './errors.js';
import { escapeLabelValue, escapeRegex, ne, nre, oneOf, re, selector } from './promql.js';

describe('selector', () => {
  it('escapes values so that they cannot change the query', () => {
    expect(selector('up', { job: 'a"} or vector(1) or {x="' })).toBe(
      'up{job="a\\"} or vector(1) or {x=\\""}',
    );
    expect(selector('up', { path: 'C:\\tmp\n' })).toBe('up{path="C:\\\\tmp\\n"}');
    expect(selector(undefined, { job: 'x' })).toBe('{job="x"}');
    expect(selector('up')).toBe('up');
  });

  it('writes every operator', () => {
    expect(selector('m', { a: ne('1'), b: re('x.*'), c: nre('y'), d: oneOf(['a.b', 'c|d']) })).toBe(
      'm{a!="1",b=~"x.*",c!~"y",d=~"a\\\\.b|c\\\\|d"}',
    );
  });

  it('rejects invalid names and empty selectors', () => {
    expect(() => selector('bad-name')).toThrow(PromQlSelectorError);
    expect(() => selector('up', { 'bad-label': 'x' })).toThrow(/label name/);
    expect(() => selector(undefined)).toThrow(/at least one/);
  });

  it('escapes control characters and RE2 metacharacters', () => {
    expect(escapeLabelValue('\u0001\t')).toBe('\\x01\\t');
    expect(escapeRegex('a.b*c(d)[e]{f}^$|+?\\')).toBe('a\\.b\\*c\\(d\\)\\[e\\]\\{f\\}\\^\\$\\|\\+\\?\\\\');
  });
});
