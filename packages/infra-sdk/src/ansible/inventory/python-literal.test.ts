import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPythonValue, parsePythonValue } from './python-literal.js';

describe('parsePythonValue (ast.literal_eval, else the raw text)', () => {
  it.each([
    ['22', 22],
    ['-3.5e2', -350],
    ['1_000', 1000],
    ['0x1F', 31],
    ['True', true],
    ['None', null],
    ["'it\\'s'", "it's"],
    ['"a" \'b\'', 'ab'],
    ["r'\\n'", '\\n'],
    ["'\\x41\\u00e9\\n'", 'Aé\n'],
    ["[1, 'two', (3,), {'k': None}]", [1, 'two', [3], { k: null }]],
    ['(1)', 1],
    ['{1, 2}', [1, 2]],
    ['10.0.0.5', '10.0.0.5'],
    ['yes', 'yes'],
    ['012', '012'],
    ['{{ jinja }}', '{{ jinja }}'],
    ["'unterminated", "'unterminated"],
    ['[1, 2', '[1, 2'],
  ])('%s', (text, expected) => {
    expect(parsePythonValue(text)).toEqual(expected);
  });

  it('keeps __proto__ as a plain key', () => {
    const value = parsePythonValue("{'__proto__': {'polluted': 1}}") as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('formatPythonValue', () => {
  it('reads back to the same value for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(parsePythonValue(formatPythonValue(value))).toEqual(value);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses what has no Python literal', () => {
    expect(() => formatPythonValue(Number.POSITIVE_INFINITY)).toThrow(/no Python literal/);
    expect(() => formatPythonValue(10n)).toThrow(/bigint/);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => formatPythonValue(cycle)).toThrow(/cycle/);
  });
});
