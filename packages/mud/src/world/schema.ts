import { closestWord } from '../commands/did-you-mean.js';
import { joinPath, type WorldIssue } from './world-issue.js';

/**
 * A small validating reader for world files. Each reader checks a value against the shape it
 * expects and returns the value typed, or `undefined` after recording an issue that names the file
 * and key path. Readers keep going after a bad value so one load reports every problem at once.
 * (No schema library: the engine's dependency list stays short and messages stay ours.)
 */
export class Checker {
  readonly issues: WorldIssue[] = [];
  readonly #file: string;

  constructor(file: string) {
    this.#file = file;
  }

  get file(): string {
    return this.#file;
  }

  fail(path: string, message: string): undefined {
    this.issues.push({ file: this.#file, path, message });
    return undefined;
  }

  string(value: unknown, path: string, opts: { min?: number; max?: number; pattern?: RegExp } = {}) {
    if (typeof value !== 'string') return this.fail(path, `expected a string, got ${describe(value)}`);
    const text = value.trim();
    const min = opts.min ?? 1;
    if (text.length < min)
      return this.fail(path, min === 1 ? 'must not be empty' : `needs ${min}+ characters`);
    if (opts.max !== undefined && text.length > opts.max)
      return this.fail(path, `must be at most ${opts.max} characters (is ${text.length})`);
    if (opts.pattern && !opts.pattern.test(text))
      return this.fail(path, `"${text}" does not match ${String(opts.pattern)}`);
    return text;
  }

  number(value: unknown, path: string, opts: { min?: number; max?: number; integer?: boolean } = {}) {
    if (typeof value !== 'number' || !Number.isFinite(value))
      return this.fail(path, `expected a number, got ${describe(value)}`);
    if (opts.integer && !Number.isInteger(value)) return this.fail(path, `expected an integer, got ${value}`);
    if (opts.min !== undefined && value < opts.min) return this.fail(path, `must be >= ${opts.min}`);
    if (opts.max !== undefined && value > opts.max) return this.fail(path, `must be <= ${opts.max}`);
    return value;
  }

  boolean(value: unknown, path: string) {
    if (typeof value !== 'boolean') return this.fail(path, `expected true or false, got ${describe(value)}`);
    return value;
  }

  /** A list; a single string is accepted where a list of strings is wanted (`keywords: lamp`). */
  array(value: unknown, path: string): unknown[] | undefined {
    if (Array.isArray(value)) return value;
    return this.fail(path, `expected a list, got ${describe(value)}`);
  }

  stringList(value: unknown, path: string, opts: { pattern?: RegExp } = {}): string[] | undefined {
    if (typeof value === 'string') value = [value];
    const list = this.array(value, path);
    if (!list) return undefined;
    const out: string[] = [];
    list.forEach((entry, i) => {
      const s = this.string(entry, joinPath(path, i), opts);
      if (s !== undefined) out.push(s);
    });
    return out;
  }

  /**
   * A mapping with known keys: reports unknown keys (with the closest known one) and missing
   * required keys. Returns the object, or undefined when it is not a mapping at all.
   */
  object(
    value: unknown,
    path: string,
    keys: { required?: readonly string[]; optional?: readonly string[] },
  ): Record<string, unknown> | undefined {
    if (!isPlainObject(value)) return this.fail(path, `expected a mapping, got ${describe(value)}`);
    const required = keys.required ?? [];
    const known = [...required, ...(keys.optional ?? [])];
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) {
        const hint = closestWord(key, known);
        this.fail(joinPath(path, key), `unknown key${hint ? ` (did you mean "${hint}"?)` : ''}`);
      }
    }
    for (const key of required) {
      if (value[key] === undefined || value[key] === null) this.fail(joinPath(path, key), 'is required');
    }
    return value;
  }

  /** A mapping with free keys (ids): each key must match `keyPattern`. */
  map(value: unknown, path: string, keyPattern: RegExp): Array<[string, unknown]> | undefined {
    if (!isPlainObject(value)) return this.fail(path, `expected a mapping, got ${describe(value)}`);
    const out: Array<[string, unknown]> = [];
    for (const [key, v] of Object.entries(value)) {
      if (!keyPattern.test(key)) {
        this.fail(joinPath(path, key), `"${key}" is not a valid id (lower case letters, digits, - and _)`);
        continue;
      }
      out.push([key, v]);
    }
    return out;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return `the string "${value.length > 30 ? `${value.slice(0, 30)}…` : value}"`;
  return `${typeof value} ${String(value)}`;
}
