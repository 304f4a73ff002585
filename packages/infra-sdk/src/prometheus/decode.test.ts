import { describe, expect, it } from 'vitest';
import { decodeQueryResult, decodeRuleGroups } from './decode.js';
import { PrometheusResponseError } from './errors.js';

describe('decodeQueryResult', () => {
  it('reads native histograms as the API documents them', () => {
    const result = decodeQueryResult({
      resultType: 'vector',
      result: [
        {
          metric: { __name__: 'latency' },
          histogram: [
            1700000000.5,
            {
              count: '10',
              sum: '+Inf',
              buckets: [
                [1, '-0.001', '0', '2'],
                [0, '0', '0.5', '8'],
              ],
            },
          ],
        },
      ],
    });
    expect(result).toEqual({
      resultType: 'vector',
      result: [
        {
          metric: { __name__: 'latency' },
          time: 1700000000.5,
          value: undefined,
          histogram: {
            count: 10,
            sum: Number.POSITIVE_INFINITY,
            buckets: [
              [1, -0.001, 0, 2],
              [0, 0, 0.5, 8],
            ],
          },
        },
      ],
    });
  });

  it('reads matrices with float and histogram samples', () => {
    const result = decodeQueryResult({
      resultType: 'matrix',
      result: [
        {
          metric: {},
          values: [
            [1, 'NaN'],
            [2, '-Inf'],
          ],
        },
      ],
    });
    expect(result.resultType === 'matrix' && result.result[0]?.values).toEqual([
      { time: 1, value: Number.NaN },
      { time: 2, value: Number.NEGATIVE_INFINITY },
    ]);
  });

  it('fails loudly on shapes that are not the API', () => {
    expect(() =>
      decodeQueryResult({ resultType: 'vector', result: [{ metric: { a: 1 }, value: [1, '1'] }] }),
    ).toThrow(PrometheusResponseError);
    expect(() => decodeQueryResult({ resultType: 'table', result: [] })).toThrow(/resultType/);
    expect(() =>
      decodeRuleGroups({ groups: [{ name: 'g', file: 'f', rules: [{ type: 'other' }] }] }),
    ).toThrow(PrometheusResponseError);
  });
});
