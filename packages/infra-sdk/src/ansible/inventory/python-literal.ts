import { InventoryInvalidError } from '../errors.js';

/**
 * Ansible's INI inventory runs every variable value through Python's `ast.literal_eval` and keeps
 * the raw text when that fails (`plugins/inventory/ini.py`, `_parse_value`). This is the same
 * reading, for the literals `literal_eval` accepts that JSON can hold: strings (with prefixes
 * r/u/b, adjacent ones joined), ints and floats (signs, underscores, 0x/0o/0b), True/False/None,
 * lists, tuples and sets (as arrays) and dicts.
 */
export function parsePythonValue(text: string): unknown {
  const parser = new LiteralParser(text);
  try {
    const value = parser.value();
    parser.skipSpace();
    return parser.atEnd() ? value : text;
  } catch {
    return text;
  }
}

class LiteralParser {
  #text: string;
  #pos = 0;

  constructor(text: string) {
    this.#text = text;
  }

  atEnd(): boolean {
    return this.#pos >= this.#text.length;
  }

  skipSpace(): void {
    while (this.#pos < this.#text.length && /\s/.test(this.#text[this.#pos]!)) this.#pos++;
  }

  #peek(): string {
    return this.#text[this.#pos] ?? '';
  }

  #fail(): never {
    throw new Error(`not a Python literal at ${this.#pos}`);
  }

  value(): unknown {
    this.skipSpace();
    const c = this.#peek();
    if (c === '[') return this.#sequence('[', ']');
    if (c === '(') return this.#sequence('(', ')');
    if (c === '{') return this.#braces();
    if (/[-+0-9.]/.test(c)) return this.#number();
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.#text.slice(this.#pos))?.[0] ?? '';
    const quoteAt = this.#pos + word.length;
    if (/^[rRuUbB]{0,2}$/.test(word) && (this.#text[quoteAt] === "'" || this.#text[quoteAt] === '"')) {
      return this.#strings();
    }
    this.#pos += word.length;
    if (word === 'True') return true;
    if (word === 'False') return false;
    if (word === 'None') return null;
    return this.#fail();
  }

  #sequence(open: string, close: string): unknown {
    this.#pos++;
    const items: unknown[] = [];
    let commas = 0;
    for (;;) {
      this.skipSpace();
      if (this.#peek() === close) {
        this.#pos++;
        // `(1)` is 1 in Python; `(1,)` is a tuple.
        return open === '(' && items.length === 1 && commas === 0 ? items[0] : items;
      }
      items.push(this.value());
      this.skipSpace();
      if (this.#peek() === ',') {
        this.#pos++;
        commas++;
      } else if (this.#peek() !== close) this.#fail();
    }
  }

  #braces(): unknown {
    this.#pos++;
    this.skipSpace();
    if (this.#peek() === '}') {
      this.#pos++;
      return {};
    }
    const first = this.value();
    this.skipSpace();
    if (this.#peek() !== ':') {
      // A set: read as an array.
      const items = [first];
      for (;;) {
        this.skipSpace();
        if (this.#peek() === ',') this.#pos++;
        this.skipSpace();
        if (this.#peek() === '}') {
          this.#pos++;
          return items;
        }
        items.push(this.value());
      }
    }
    const dict: Record<string, unknown> = {};
    let key = first;
    for (;;) {
      this.skipSpace();
      if (this.#peek() !== ':') this.#fail();
      this.#pos++;
      if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean' && key !== null) {
        this.#fail();
      }
      Object.defineProperty(dict, String(key), {
        value: this.value(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skipSpace();
      if (this.#peek() === ',') this.#pos++;
      this.skipSpace();
      if (this.#peek() === '}') {
        this.#pos++;
        return dict;
      }
      key = this.value();
    }
  }

  #number(): number {
    const rest = this.#text.slice(this.#pos);
    const m =
      /^[-+]?\s*(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][-+]?\d(?:_?\d)*)?)/.exec(
        rest,
      );
    if (!m) return this.#fail();
    this.#pos += m[0].length;
    const text = m[0].replace(/[\s_]/g, '');
    const negative = text.startsWith('-');
    const body = text.replace(/^[-+]/, '');
    let n: number;
    if (/^0[xob]/i.test(body)) n = Number(body.toLowerCase());
    else if (/^0\d/.test(body) && !/[.eE]/.test(body) && !/^0+$/.test(body))
      return this.#fail(); // 012 is a SyntaxError
    else n = Number(body);
    if (Number.isNaN(n)) return this.#fail();
    return negative ? -n : n;
  }

  #strings(): string {
    let out = '';
    for (;;) {
      this.skipSpace();
      const prefix = /^[rRuUbB]{0,2}(?=['"])/.exec(this.#text.slice(this.#pos))?.[0];
      if (prefix === undefined) return out;
      this.#pos += prefix.length;
      out += this.#string(/r/i.test(prefix));
    }
  }

  #string(raw: boolean): string {
    const q = this.#peek();
    const triple = this.#text.startsWith(q.repeat(3), this.#pos);
    const end = triple ? q.repeat(3) : q;
    this.#pos += end.length;
    let out = '';
    for (;;) {
      if (this.atEnd()) this.#fail();
      if (this.#text.startsWith(end, this.#pos)) {
        this.#pos += end.length;
        return out;
      }
      const c = this.#text[this.#pos++]!;
      if (c === '\n' && !triple) this.#fail();
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.#text[this.#pos++] ?? this.#fail();
      if (raw) {
        out += `\\${e}`;
        continue;
      }
      out += this.#escape(e);
    }
  }

  #escape(e: string): string {
    const simple: Record<string, string> = {
      '\n': '',
      '\\': '\\',
      "'": "'",
      '"': '"',
      a: '\x07',
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      v: '\v',
    };
    if (e in simple) return simple[e]!;
    const hex = (len: number) => {
      const digits = this.#text.slice(this.#pos, this.#pos + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(digits)) this.#fail();
      this.#pos += len;
      return String.fromCodePoint(Number.parseInt(digits, 16));
    };
    if (e === 'x') return hex(2);
    if (e === 'u') return hex(4);
    if (e === 'U') return hex(8);
    if (/[0-7]/.test(e)) {
      let digits = e;
      while (digits.length < 3 && /[0-7]/.test(this.#peek())) digits += this.#text[this.#pos++];
      return String.fromCodePoint(Number.parseInt(digits, 8));
    }
    return `\\${e}`;
  }
}

function quoteString(s: string): string {
  let out = "'";
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    // Python's str.splitlines(), which Ansible's INI reader uses, also breaks lines here.
    else if (code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16)}`;
    else out += ch;
  }
  return `${out}'`;
}

/**
 * Writes a JSON-like value as the Python literal that `ast.literal_eval` reads back to it, so
 * that INI inventories keep types (a string "22" stays a string). Throws InventoryInvalidError
 * for what Python literals cannot hold (NaN, Infinity, functions, bigint, cycles).
 */
export function formatPythonValue(value: unknown, path = 'value', seen = new Set<object>()): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return quoteString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InventoryInvalidError(`${path}: ${value} has no Python literal`);
    return Object.is(value, -0) ? '-0.0' : String(value);
  }
  if (typeof value === 'object') {
    if (seen.has(value)) throw new InventoryInvalidError(`${path}: a cycle cannot be written`);
    seen.add(value);
    try {
      if (Array.isArray(value)) {
        return `[${value.map((v, i) => formatPythonValue(v, `${path}[${i}]`, seen)).join(', ')}]`;
      }
      const entries = Object.entries(value as Record<string, unknown>).map(
        ([k, v]) => `${quoteString(k)}: ${formatPythonValue(v, `${path}.${k}`, seen)}`,
      );
      return `{${entries.join(', ')}}`;
    } finally {
      seen.delete(value);
    }
  }
  throw new InventoryInvalidError(`${path}: a ${typeof value} cannot be written to an inventory`);
}
