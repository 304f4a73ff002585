/**
 * Generates the client message validators from the client schema.
 *
 *   pnpm --filter @leviathan/protocol run generate
 *   (or: npx tsx packages/protocol/scripts/generate-validators.ts)
 *
 * Writes src/validation/validators.generated.ts: one function per message type, its field checks
 * written out with the schema's bounds as literals. The output depends only on the schema, so
 * test/generated.test.ts regenerates it in memory and fails when the committed file is stale.
 *
 * Why generated code: a validator that reads the schema per message (v1: a dictionary lookup per
 * key, then one closure per field called through a single call site) pays for that genericity on
 * every message; V8 cannot inline a call site that sees seven different closures, and closures
 * made by one factory share their inline caches. A function per type, with a `switch` on the key
 * and the checks inline, is what one would write by hand. Generated at build time rather than
 * with `new Function` at load, so that the package still loads where `eval` is forbidden (a
 * browser page with a Content Security Policy).
 *
 * Measured (`pnpm bench protocol`, decode+validate against bare JSON.parse of the same line, same
 * run, medians of 3 runs at load average 9 on 2 cores): the v1 decoder kept in
 * benchmarks/src/protocol/variants, cmd 1.41x and a binary cmd 1.40x; with these validators (and
 * the cheaper errors of errors.ts), cmd 1.23x, binary cmd 1.26x, every type 1.13-1.28x. A table
 * compiled from the schema at load and read by one generic loop (a switch on the rule's kind, a
 * linear scan for the key) was tried first and was no faster than v1 (an interleaved timing in
 * one process at load average 8.6: cmd 1.44x against v1's 1.42x).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClientMessageType } from '../src/messages.js';
import { CLIENT_SCHEMA, type FieldSpec } from '../src/validation/client-schema.js';
import { FieldKind, type FieldRule } from '../src/validation/field-rules.js';

export const GENERATED_PATH = 'src/validation/validators.generated.ts';

/** The order of the type dispatch: the most frequent first (a game sends `cmd` most). */
export const DISPATCH_ORDER: readonly ClientMessageType[] = [
  'cmd',
  'action',
  'ping',
  'auth',
  'register',
  'quit',
];

const quote = (s: string): string => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
const functionName = (type: string): string =>
  `validate${type.replace(/(^|-)([a-z])/g, (_m, _dash: string, c: string) => c.toUpperCase())}`;

/** What the emitted code needs from elsewhere, collected while emitting. */
class Imports {
  readonly errors = new Set<string>(['type ProtocolError', 'UnknownTypeError']);
  readonly checks = new Set<string>(['unknownKey']);
  readonly patterns: RegExp[] = [];

  pattern(pattern: RegExp): string {
    let index = this.patterns.findIndex((p) => p.source === pattern.source && p.flags === pattern.flags);
    if (index === -1) index = this.patterns.push(pattern) - 1;
    return `PATTERN_${index}`;
  }
}

/** The statements that check `value` (the field's value) against `rule`; `path` is the field name. */
function emitCheck(rule: FieldRule, name: string, imports: Imports): string[] {
  const path = quote(name);
  const invalid = (expected: string) => {
    imports.errors.add('InvalidFieldError');
    return `return new InvalidFieldError(${path}, ${quote(expected)});`;
  };
  const tooLong = (max: string) => {
    imports.errors.add('StringTooLongError');
    return `return new StringTooLongError(${path}, ${max});`;
  };
  const outOfRange = (min: string, max: string) => {
    imports.errors.add('OutOfRangeError');
    return `return new OutOfRangeError(${path}, ${min}, ${max});`;
  };
  switch (rule.kind) {
    case FieldKind.String: {
      const lines = [
        `if (typeof value !== 'string') ${invalid('a string')}`,
        `if (value.length > ${rule.max}) ${tooLong(String(rule.max))}`,
      ];
      if (rule.min > 0)
        lines.push(`if (value.length < ${rule.min}) ${invalid(`at least ${rule.min} characters`)}`);
      if (rule.pattern !== undefined) {
        let test: string;
        if (rule.matcher === undefined) test = `${imports.pattern(rule.pattern)}.test(value)`;
        else {
          imports.checks.add(rule.matcher);
          test = `${rule.matcher}(value)`;
        }
        lines.push(`if (!${test}) ${invalid(`a string matching ${rule.pattern.source}`)}`);
      }
      return lines;
    }
    case FieldKind.PlayerText:
      imports.checks.add('hasControlCharacters');
      return [
        `if (typeof value !== 'string') ${invalid('a string')}`,
        `if (value.length > limits.${rule.limit}) ${tooLong(`limits.${rule.limit}`)}`,
        `if (hasControlCharacters(value, raw)) ${invalid('text without control characters')}`,
      ];
    case FieldKind.Integer:
      return [
        `if (typeof value !== 'number' || !Number.isInteger(value)) ${invalid('an integer')}`,
        `if (value < ${rule.min} || value > ${rule.max}) ${outOfRange(String(rule.min), String(rule.max))}`,
      ];
    case FieldKind.FiniteNumber:
      return [`if (typeof value !== 'number' || !Number.isFinite(value)) ${invalid('a number')}`];
    case FieldKind.RequestId:
      return [
        `if (typeof value === 'string') {`,
        `  if (value.length > ${rule.maxLength}) ${tooLong(String(rule.maxLength))}`,
        `} else if (typeof value === 'number') {`,
        `  if (!Number.isSafeInteger(value) || value < 0) ${outOfRange('0', 'Number.MAX_SAFE_INTEGER')}`,
        `} else ${invalid('a string or an integer')}`,
      ];
    case FieldKind.StringArray:
      imports.checks.add('checkStringArray');
      return [
        `const err = checkStringArray(value, ${path}, ${rule.maxItems}, ${rule.maxLength});`,
        'if (err !== undefined) return err;',
      ];
    case FieldKind.JsonObject:
      imports.checks.add('checkJsonObject');
      return [
        `const err = checkJsonObject(value, ${path}, limits.maxDepth, ${rule.maxKeys}, ${rule.maxString});`,
        'if (err !== undefined) return err;',
      ];
  }
}

function emitValidator(type: ClientMessageType, imports: Imports): string {
  const fields = Object.entries(CLIENT_SCHEMA[type] as Record<string, FieldSpec>);
  const required = fields.filter(([, spec]) => spec.required).map(([name]) => name);
  const describe = fields.map(([name, spec]) => (spec.required ? `${name} (required)` : name)).join(', ');
  const out = [
    `/** \`${type}\`: ${describe}. */`,
    `function ${functionName(type)}(`,
    '  obj: Record<string, unknown>,',
    '  limits: ProtocolLimits,',
    '  raw: string | undefined,',
    '): ProtocolError | undefined {',
  ];
  if (required.length > 0) out.push('  let required = 0;');
  out.push('  for (const key in obj) {', '    switch (key) {', `      case 'type':`, '        continue;');
  for (const [name, spec] of fields) {
    out.push(`      case ${quote(name)}: {`, '        const value = obj[key];');
    for (const line of emitCheck(spec.rule, name, imports)) out.push(`        ${line}`);
    if (spec.required) out.push('        required++;');
    out.push('        continue;', '      }');
  }
  out.push('      default:', `        return unknownKey(${quote(type)}, key);`, '    }', '  }');
  if (required.length > 0) {
    imports.checks.add('missingField');
    out.push(
      `  return required === ${required.length} ? undefined : missingField(obj, ${quote(type)}, [${required.map(quote).join(', ')}]);`,
    );
  } else out.push('  return undefined;');
  out.push('}');
  return out.join('\n');
}

/** The text of src/validation/validators.generated.ts. */
export function generateValidators(): string {
  const types = Object.keys(CLIENT_SCHEMA).sort();
  const order = [...DISPATCH_ORDER].sort();
  if (types.join() !== order.join()) {
    throw new Error(`DISPATCH_ORDER (${order.join()}) must list the schema's types (${types.join()})`);
  }
  const imports = new Imports();
  const validators = DISPATCH_ORDER.map((type) => emitValidator(type, imports));
  const dispatch = [
    '/**',
    ' * Checks the fields of `obj`, a message of type `type`: the first error found, or undefined when',
    ' * it is valid. An unknown type is an UnknownTypeError.',
    ' */',
    'export function checkMessage(',
    '  obj: Record<string, unknown>,',
    '  type: string,',
    '  limits: ProtocolLimits,',
    '  raw: string | undefined,',
    '): ProtocolError | undefined {',
    '  switch (type) {',
    ...DISPATCH_ORDER.flatMap((type) => [
      `    case ${quote(type)}:`,
      `      return ${functionName(type)}(obj, limits, raw);`,
    ]),
    '    default:',
    '      return new UnknownTypeError(type);',
    '  }',
    '}',
  ].join('\n');
  const sortImports = (names: Iterable<string>) =>
    [...names].sort((a, b) => a.replace(/^type /, '').localeCompare(b.replace(/^type /, ''))).join(', ');
  const header = [
    '// GENERATED FILE: do not edit. Made by packages/protocol/scripts/generate-validators.ts from the',
    '// client schema (src/validation/client-schema.ts); test/generated.test.ts fails when it is stale.',
    '// Regenerate: pnpm --filter @leviathan/protocol run generate',
    `import { ${sortImports(imports.errors)} } from '../errors.js';`,
    `import type { ProtocolLimits } from '../limits.js';`,
    `import { ${sortImports(imports.checks)} } from './field-checks.js';`,
    '',
    ...imports.patterns.map((p, i) => `const PATTERN_${i} = /${p.source}/${p.flags};`),
  ].join('\n');
  return `${[header, dispatch, ...validators].join('\n\n')}\n`;
}

function main(): void {
  const pkgRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
  const text = generateValidators();
  writeFileSync(join(pkgRoot, GENERATED_PATH), text);
  console.log(`wrote ${GENERATED_PATH} (${text.length} bytes)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
