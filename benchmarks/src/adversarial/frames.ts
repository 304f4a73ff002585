/**
 * What the adversarial flood sends: WebSocket client frames built by hand (so that anything can
 * be sent, including what no WebSocket library would write), and the payloads of each kind of
 * bad input. Frames are masked with a zero key (valid, and the payload stays as written), so a
 * burst is built once and written as one buffer.
 */

export const Opcode = { Continuation: 0, Text: 1, Binary: 2, Close: 8, Ping: 9, Pong: 10 } as const;

/** One client frame: FIN (unless `fin` is false), `opcode`, masked with a zero key. */
export function frame(
  opcode: number,
  payload: Buffer | string,
  options: { fin?: boolean; rsv?: number } = {},
): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const first = ((options.fin ?? true) ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | (opcode & 0x0f);
  let header: Buffer;
  if (body.length < 126) {
    header = Buffer.from([first, 0x80 | body.length, 0, 0, 0, 0]);
  } else if (body.length < 65536) {
    header = Buffer.alloc(8);
    header[0] = first;
    header[1] = 0x80 | 126;
    header.writeUInt16BE(body.length, 2);
  } else {
    header = Buffer.alloc(14);
    header[0] = first;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(body.length), 2);
  }
  return Buffer.concat([header, body]);
}

/** A text frame of JSON lines (one message per line). */
export function text(...lines: string[]): Buffer {
  return frame(Opcode.Text, lines.join('\n'));
}

/** A frame without the mask bit: clients must mask (RFC 6455 §5.1), so the server must refuse it. */
export function unmasked(payload: string): Buffer {
  const body = Buffer.from(payload);
  return Buffer.concat([Buffer.from([0x81, body.length & 0x7f]), body]);
}

/** A deterministic pseudo-random source, so that every run sends the same flood. */
export class Prng {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0 || 1;
  }
  /** A 32-bit unsigned integer (xorshift32). */
  next(): number {
    let x = this.#state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#state = x >>> 0;
    return this.#state;
  }
  below(n: number): number {
    return this.next() % n;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)] as T;
  }
  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.next() & 0xff;
    return out;
  }
}

/** Messages a well-behaved client would send, the raw material of the malformed ones. */
const VALID = [
  '{"type":"auth","username":"mallory","token":"v1.abc.def","capabilities":["events","batch"],"id":1}',
  '{"type":"cmd","line":"say hello there","id":"c1"}',
  '{"type":"action","name":"move","args":{"to":"north","steps":2},"id":7}',
  '{"type":"ping","t":1700000000000,"id":3}',
  '{"type":"register","username":"mallory","password":"hunter22"}',
];

/** Cut anywhere: unterminated strings, objects, escapes. */
export function truncatedJson(rng: Prng): string {
  const whole = rng.pick(VALID);
  return whole.slice(0, 1 + rng.below(whole.length - 1));
}

/** Arrays or objects nested `depth` deep, inside an otherwise valid message. */
export function deepNesting(rng: Prng, depth: number): string {
  const inner =
    rng.below(2) === 0
      ? `${'['.repeat(depth)}${']'.repeat(depth)}`
      : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  return rng.below(2) === 0
    ? `{"type":"action","name":"deep","args":{"x":${inner}}}`
    : `{"type":"cmd","line":${inner}}`;
}

/** Bytes that are not UTF-8: lone continuation bytes, overlongs, surrogates, truncated sequences. */
export function invalidUtf8(rng: Prng): Buffer {
  const bad = [
    [0xff],
    [0xc0, 0xaf],
    [0xed, 0xa0, 0x80],
    [0xe2, 0x82],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
    [0x80, 0x80],
  ];
  const prefix = Buffer.from('{"type":"cmd","line":"');
  return Buffer.concat([prefix, Buffer.from(rng.pick(bad)), Buffer.from('"}')]);
}

/** Keys that would pollute prototypes if an object were merged naively. */
export function prototypeKeys(rng: Prng): string {
  return rng.pick([
    '{"type":"auth","username":"mallory","token":"t","__proto__":{"admin":true}}',
    '{"type":"action","name":"x","args":{"__proto__":{"polluted":1}}}',
    '{"type":"action","name":"x","args":{"constructor":{"prototype":{"polluted":1}}}}',
    '{"__proto__":{"type":"cmd"},"line":"look"}',
    '{"type":"cmd","line":"look","constructor":{"prototype":{"isAdmin":true}}}',
    '{"type":"action","name":"x","args":{"a":{"__proto__":null}}}',
    '{"type":"ping","prototype":{"x":1}}',
  ]);
}

/** Every field of every message type, with a value of the wrong type. */
const WRONG_VALUES = ['1', '-1.5', 'true', 'null', '[]', '{}', '"x"', '[1,2]', '{"a":1}', '1e309', '""'];
const FIELDS: Record<string, string[]> = {
  auth: ['username', 'token', 'password', 'resume', 'version', 'capabilities', 'id'],
  register: ['username', 'password', 'version', 'capabilities', 'id'],
  cmd: ['line', 'id'],
  action: ['name', 'args', 'id'],
  ping: ['t', 'id'],
  quit: ['id'],
};
export function wrongTypes(rng: Prng): string {
  const type = rng.pick(Object.keys(FIELDS));
  const field = rng.pick(FIELDS[type] as string[]);
  return `{"type":"${type}","${field}":${rng.pick(WRONG_VALUES)}}`;
}

export function unknownTypes(rng: Prng): string {
  return rng.pick([
    '{"type":"admin","grant":"all"}',
    '{"type":"CMD","line":"look"}',
    '{"type":123}',
    '{"type":null}',
    '{"type":["cmd"]}',
    '{"line":"look"}',
    '{}',
    '[]',
    '"cmd"',
    'null',
    '42',
    'true',
    '{"type":"cmd","line":"look","extra":1}',
    '{"type":"","line":"x"}',
  ]);
}
