/**
 * A parser for the Prometheus text exposition format 0.0.4, strict enough to catch what a scraper
 * would reject (bad names, bad label syntax, unparseable values, samples without a family). Used
 * by tests of `/metrics` and handy for tools that read a Leviathan endpoint.
 */

export interface Sample {
  /** Full sample name (`leviathan_tick_duration_seconds_bucket`). */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface MetricFamily {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  readonly help: string;
  readonly samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created'];

export class ExpositionParseError extends Error {
  override readonly name = 'ExpositionParseError';
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
  }
}

export function parseExposition(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  const lines = text.split('\n');
  const family = (name: string): MetricFamily => {
    let f = families.get(name);
    if (!f) {
      f = { name, type: 'untyped', help: '', samples: [] };
      families.set(name, f);
    }
    return f;
  };
  lines.forEach((raw, index) => {
    const n = index + 1;
    const line = raw.trim();
    if (line === '') return;
    if (line.startsWith('#')) {
      const match = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(line);
      if (!match) return; // a plain comment
      const [, kind, name, rest = ''] = match;
      if (!NAME.test(name!)) throw new ExpositionParseError(n, `invalid metric name ${name}`);
      const f = family(name!);
      if (kind === 'HELP') (f as { help: string }).help = rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      else {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest)) {
          throw new ExpositionParseError(n, `invalid type ${rest}`);
        }
        if (f.samples.length > 0) throw new ExpositionParseError(n, `TYPE of ${name} after its samples`);
        (f as { type: string }).type = rest;
      }
      return;
    }
    const sample = parseSample(line, n);
    const base = familyOf(sample.name, families);
    family(base).samples.push(sample);
  });
  return families;
}

function familyOf(sampleName: string, families: Map<string, MetricFamily>): string {
  if (families.has(sampleName)) return sampleName;
  for (const suffix of SUFFIXES) {
    if (sampleName.endsWith(suffix)) {
      const base = sampleName.slice(0, -suffix.length);
      if (families.has(base)) return base;
    }
  }
  return sampleName;
}

function parseSample(line: string, n: number): Sample {
  let i = 0;
  while (i < line.length && line[i] !== '{' && line[i] !== ' ' && line[i] !== '\t') i++;
  const name = line.slice(0, i);
  if (!NAME.test(name)) throw new ExpositionParseError(n, `invalid sample name ${JSON.stringify(name)}`);
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i++;
    for (;;) {
      while (line[i] === ' ') i++;
      if (line[i] === '}') {
        i++;
        break;
      }
      const eq = line.indexOf('=', i);
      if (eq < 0) throw new ExpositionParseError(n, 'label without =');
      const labelName = line.slice(i, eq).trim();
      if (!LABEL_NAME.test(labelName)) throw new ExpositionParseError(n, `invalid label name ${labelName}`);
      if (line[eq + 1] !== '"') throw new ExpositionParseError(n, 'label value must be quoted');
      let j = eq + 2;
      let value = '';
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\') {
          const next = line[j + 1];
          value += next === 'n' ? '\n' : next === '\\' ? '\\' : next === '"' ? '"' : `\\${next}`;
          j += 2;
        } else value += line[j++];
      }
      if (line[j] !== '"') throw new ExpositionParseError(n, 'unterminated label value');
      if (labelName in labels) throw new ExpositionParseError(n, `duplicate label ${labelName}`);
      labels[labelName] = value;
      i = j + 1;
      while (line[i] === ' ') i++;
      if (line[i] === ',') i++;
      else if (line[i] !== '}') throw new ExpositionParseError(n, 'expected , or } after a label');
    }
  }
  const rest = line.slice(i).trim().split(/\s+/);
  const valueText = rest[0] ?? '';
  const value = parseValue(valueText);
  if (value === undefined) throw new ExpositionParseError(n, `invalid value ${JSON.stringify(valueText)}`);
  return { name, labels, value };
}

function parseValue(text: string): number | undefined {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN' || text === 'Nan') return Number.NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

/** The value of the one sample of `name` whose labels include `labels`; throws when not exactly one. */
export function sampleValue(
  families: Map<string, MetricFamily>,
  name: string,
  labels: Record<string, string> = {},
): number {
  const matches: Sample[] = [];
  for (const f of families.values()) {
    for (const s of f.samples) {
      if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) matches.push(s);
    }
  }
  if (matches.length !== 1) {
    throw new Error(`expected one sample ${name}${JSON.stringify(labels)}, found ${matches.length}`);
  }
  return matches[0]!.value;
}
