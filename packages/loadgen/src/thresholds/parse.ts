import { InvalidThresholdError } from '../errors.js';
import { parseSeriesKey } from '../metrics/series-key.js';

export type Aggregation = 'avg' | 'min' | 'max' | 'med' | 'count' | 'rate' | 'value' | 'p';
export type Operator = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';

/** A parsed k6 threshold: `p(95) < 200` → { aggregation: 'p', percentile: 95, operator: '<', value: 200 }. */
export interface ParsedThreshold {
  metric: string;
  expression: string;
  aggregation: Aggregation;
  percentile: number;
  operator: Operator;
  value: number;
}

const EXPR =
  /^\s*(avg|min|max|med|count|rate|value|p\(\s*(\d+(?:\.\d+)?)\s*\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/;

/** Parses one threshold expression of k6's grammar; throws InvalidThresholdError with the reason. */
export function parseThreshold(metric: string, expression: string): ParsedThreshold {
  if (parseSeriesKey(metric) === undefined) {
    throw new InvalidThresholdError(
      metric,
      expression,
      'the metric must be a name, optionally with tags: name{tag:value}',
    );
  }
  const m = EXPR.exec(expression);
  if (m === null) {
    throw new InvalidThresholdError(
      metric,
      expression,
      'expected "<aggregation> <operator> <number>", aggregation one of avg, min, max, med, count, rate, value, p(N); operator one of <, <=, >, >=, ==, !=',
    );
  }
  const percentile = m[2] === undefined ? 0 : Number(m[2]);
  if (m[2] !== undefined && (percentile < 0 || percentile > 100)) {
    throw new InvalidThresholdError(metric, expression, 'a percentile must be between 0 and 100');
  }
  return {
    metric,
    expression,
    aggregation: (m[2] === undefined ? m[1] : 'p') as Aggregation,
    percentile,
    operator: m[3] as Operator,
    value: Number(m[4]),
  };
}

/** Whether `actual operator limit` holds. */
export function compare(actual: number, operator: Operator, limit: number): boolean {
  switch (operator) {
    case '<':
      return actual < limit;
    case '<=':
      return actual <= limit;
    case '>':
      return actual > limit;
    case '>=':
      return actual >= limit;
    case '==':
    case '===':
      return actual === limit;
    case '!=':
      return actual !== limit;
  }
}
