import { PromQlSelectorError } from './errors.js';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Whether a string is a valid metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`). */
export function isMetricName(name: string): boolean {
  return METRIC_NAME.test(name);
}

/** Whether a string is a valid label name (`[a-zA-Z_][a-zA-Z0-9_]*`). */
export function isLabelName(name: string): boolean {
  return LABEL_NAME.test(name);
}

/**
 * Escapes a label value for a double-quoted PromQL string. PromQL strings take Go's escapes
 * (promql/parser/lex.go, then strconv.Unquote): a backslash, a double quote and control
 * characters must be escaped, everything else (any Unicode) may stand as it is. Without this, a
 * value such as `a"} or vector(1) or {x="` would change the query.
 */
export function escapeLabelValue(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

/** A label value as a PromQL string literal, quotes included. */
export function quoteLabelValue(value: string): string {
  return `"${escapeLabelValue(value)}"`;
}

/**
 * Escapes RE2 metacharacters so that a literal string can sit in a `=~` matcher (Go's
 * regexp.QuoteMeta). Prometheus anchors label regexes at both ends.
 */
export function escapeRegex(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

export type MatchOp = '=' | '!=' | '=~' | '!~';

/** A label matcher: a plain string means equality. */
export type LabelMatcher = string | { readonly op: MatchOp; readonly value: string };

/** `label="value"`. */
export const eq = (value: string): LabelMatcher => ({ op: '=', value });
/** `label!="value"`. */
export const ne = (value: string): LabelMatcher => ({ op: '!=', value });
/** `label=~"regex"` (anchored by Prometheus). */
export const re = (regex: string): LabelMatcher => ({ op: '=~', value: regex });
/** `label!~"regex"`. */
export const nre = (regex: string): LabelMatcher => ({ op: '!~', value: regex });
/** `label=~"a|b|c"` for literal values, each escaped: a series whose label is any of them. */
export const oneOf = (values: readonly string[]): LabelMatcher => ({
  op: '=~',
  value: values.map(escapeRegex).join('|'),
});

/**
 * Builds a series selector with every name checked and every value escaped:
 * `selector('up', { job: 'leviathan-engine', instance: ne('a"b') })` is
 * `up{job="leviathan-engine",instance!="a\"b"}`. A selector with no metric name needs at least one
 * matcher, as Prometheus requires.
 */
export function selector(
  metric: string | undefined,
  labels: Readonly<Record<string, LabelMatcher>> = {},
): string {
  if (metric !== undefined && !isMetricName(metric)) {
    throw new PromQlSelectorError(`${JSON.stringify(metric)} is not a valid metric name`);
  }
  const matchers: string[] = [];
  for (const [name, matcher] of Object.entries(labels)) {
    if (!isLabelName(name))
      throw new PromQlSelectorError(`${JSON.stringify(name)} is not a valid label name`);
    const { op, value } = typeof matcher === 'string' ? { op: '=' as const, value: matcher } : matcher;
    if (op !== '=' && op !== '!=' && op !== '=~' && op !== '!~') {
      throw new PromQlSelectorError(`${JSON.stringify(op)} is not a matcher operator`);
    }
    matchers.push(`${name}${op}${quoteLabelValue(value)}`);
  }
  if (metric === undefined && matchers.length === 0) {
    throw new PromQlSelectorError('a selector needs a metric name or at least one label matcher');
  }
  return `${metric ?? ''}${matchers.length > 0 || metric === undefined ? `{${matchers.join(',')}}` : ''}`;
}
