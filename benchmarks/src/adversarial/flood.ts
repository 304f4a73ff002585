import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { burstOf } from './bursts.js';
import { Prng, text } from './frames.js';
import { ServerFrames } from './server-frames.js';

/**
 * The adversarial flood: many connections, each sending one kind of bad input as fast as the
 * server reads it, then reconnecting (the server closes most of them: that is its defence).
 * Built on raw TCP sockets and hand-made frames, so it sends what no WebSocket library would.
 */

/** The kinds of abuse, each sent on connections of its own. */
export const FLOOD_KINDS = [
  'truncated-json',
  'huge-frames',
  'deep-nesting',
  'invalid-utf8',
  'binary',
  'prototype-keys',
  'wrong-types',
  'unknown-types',
  'too-many-lines',
  'ws-protocol',
  'ping-flood',
  'rate-limit',
  'auth-spam',
  'churn',
] as const;
export type FloodKind = (typeof FLOOD_KINDS)[number];

/** Bursts sent on a connection the server keeps open, and the wait for its close after each, ms. */
const MAX_BURSTS = 8;
const BURST_GAP_MS = 100;
/** Different bursts built per kind, then reused. */
const BURST_VARIANTS = 32;

/** Connections of each kind per round of the schedule (frames per connection differ a lot). */
const WEIGHTS: Record<FloodKind, number> = {
  'truncated-json': 4,
  'huge-frames': 1,
  'deep-nesting': 2,
  'invalid-utf8': 2,
  binary: 2,
  'prototype-keys': 2,
  'wrong-types': 4,
  'unknown-types': 2,
  'too-many-lines': 2,
  'ws-protocol': 2,
  'ping-flood': 2,
  'rate-limit': 2,
  'auth-spam': 1,
  churn: 6,
};

export interface FloodOptions {
  readonly port: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Frames to send in all (a churned connection's handshake counts as one). */
  readonly frames: number;
  /** Attacking connections in flight at once. @default 16 */
  readonly concurrency?: number;
  /**
   * Local addresses to connect from, in turn (each has its own ~28k ephemeral ports, and the
   * server sees several attackers). @default 127.0.0.2 to 127.0.0.9
   */
  readonly sourceAddresses?: readonly string[];
  /** A valid login token for `username`, for the kinds that log in first. */
  readonly token: (username: string) => string;
  /** The server's maxPayloadBytes. @default 65536 */
  readonly maxPayloadBytes?: number;
  /** Longest wait for the server to close a connection after its last burst, in ms. @default 1500 */
  readonly lingerMs?: number;
  /** Only these kinds (default: every kind). */
  readonly kinds?: readonly FloodKind[];
  /** @default 1 */
  readonly seed?: number;
}

export interface FloodReport {
  /** Frames written (a churned connection's handshake counts as one). */
  frames: number;
  bytes: number;
  connections: number;
  byKind: Record<FloodKind, number>;
  /**
   * How the server ended each kind's connections: by close code, 'none' when the TCP connection
   * ended without a close frame, 'open' when it was still open after its burst and `lingerMs`.
   */
  closes: Record<FloodKind, Record<string, number>>;
  /** Connections the server did not upgrade (refused, or not answering in time). */
  refused: number;
  ms: number;
}

/** Runs the flood until `frames` have been sent; resolves with what was sent and how it ended. */
export async function flood(options: FloodOptions): Promise<FloodReport> {
  const started = performance.now();
  const report: FloodReport = {
    frames: 0,
    bytes: 0,
    connections: 0,
    byKind: Object.fromEntries(FLOOD_KINDS.map((k) => [k, 0])) as Record<FloodKind, number>,
    closes: Object.fromEntries(FLOOD_KINDS.map((k) => [k, {}])) as FloodReport['closes'],
    refused: 0,
    ms: 0,
  };
  const kinds = options.kinds ?? FLOOD_KINDS;
  const schedule: FloodKind[] = [];
  for (const k of kinds) for (let i = 0; i < WEIGHTS[k]; i++) schedule.push(k);
  const sources =
    options.sourceAddresses ?? ['2', '3', '4', '5', '6', '7', '8', '9'].map((n) => `127.0.0.${n}`);
  const rng = new Prng(options.seed ?? 1);
  let next = 0;
  const cache = new Map<FloodKind, Array<{ bytes: Buffer; frames: number } | undefined>>();
  const worker = async (): Promise<void> => {
    while (report.frames < options.frames) {
      const n = next++;
      const kind = schedule[n % schedule.length] as FloodKind;
      const attack = new Attack(options, report, kind, sources[n % sources.length] as string, rng, n, cache);
      await attack.run();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
  report.ms = performance.now() - started;
  return report;
}

/** One attacking connection: connect, upgrade (usually), maybe log in, send its burst, wait. */
class Attack {
  readonly #o: FloodOptions;
  readonly #report: FloodReport;
  readonly #kind: FloodKind;
  readonly #source: string;
  readonly #rng: Prng;
  readonly #n: number;
  readonly #cache: Map<FloodKind, Array<{ bytes: Buffer; frames: number } | undefined>>;
  #socket: Socket | undefined;
  readonly #reader = new ServerFrames();
  #ended: Promise<void> = Promise.resolve();

  constructor(
    o: FloodOptions,
    report: FloodReport,
    kind: FloodKind,
    source: string,
    rng: Prng,
    n: number,
    cache: Map<FloodKind, Array<{ bytes: Buffer; frames: number } | undefined>>,
  ) {
    this.#cache = cache;
    this.#o = o;
    this.#report = report;
    this.#kind = kind;
    this.#source = source;
    this.#rng = rng;
    this.#n = n;
  }

  async run(): Promise<void> {
    const socket = await this.#connect();
    if (socket === undefined) return;
    this.#report.connections++;
    let open = false;
    try {
      if (this.#kind === 'churn') {
        await this.#churn(socket);
        return;
      }
      if (!(await this.#upgrade(socket))) return;
      if (this.#kind === 'rate-limit' || this.#kind === 'auth-spam') {
        const username = `flood${this.#n % 64}`;
        this.#send([text(`{"type":"auth","username":"${username}","token":"${this.#o.token(username)}"}`)]);
        if (!(await this.#reader.authenticated(this.#o.lingerMs ?? 1_500))) return;
      }
      // Again and again while the server keeps the connection open (it should not, for long).
      for (let burst = 0; burst < MAX_BURSTS; burst++) {
        this.#sendBurst();
        const wait = burst === MAX_BURSTS - 1 ? (this.#o.lingerMs ?? 1_500) : BURST_GAP_MS;
        open = await Promise.race([this.#ended.then(() => false), delay(wait).then(() => true)]);
        if (!open) break;
      }
    } finally {
      socket.destroy();
      await this.#ended;
      const code = this.#reader.closeCode;
      const key = code !== undefined ? String(code) : open ? 'open' : 'none';
      const closes = this.#report.closes[this.#kind];
      closes[key] = (closes[key] ?? 0) + 1;
    }
  }

  #connect(): Promise<Socket | undefined> {
    return new Promise((resolve) => {
      const socket = connect({
        host: this.#o.host ?? '127.0.0.1',
        port: this.#o.port,
        localAddress: this.#source,
      });
      socket.setNoDelay(true);
      socket.once('connect', () => {
        this.#socket = socket;
        this.#ended = new Promise((done) => socket.once('close', () => done()));
        socket.on('data', (chunk: Buffer) => this.#reader.push(chunk));
        socket.once('close', () => this.#reader.end());
        socket.on('error', () => {});
        resolve(socket);
      });
      socket.once('error', () => {
        this.#report.refused++;
        resolve(undefined);
      });
    });
  }

  /** The HTTP upgrade; false when the server did not switch protocols in time. */
  async #upgrade(socket: Socket): Promise<boolean> {
    socket.write(handshake(this.#o.host ?? '127.0.0.1', this.#o.port));
    const ok = await this.#reader.upgraded(5_000);
    if (!ok) this.#report.refused++;
    return ok;
  }

  /** Connections that open and drop at every stage of their life. */
  async #churn(socket: Socket): Promise<void> {
    this.#count(1, 0);
    const stage = this.#rng.below(4);
    if (stage === 0) return;
    const request = handshake(this.#o.host ?? '127.0.0.1', this.#o.port);
    if (stage === 1) {
      socket.write(request.subarray(0, request.length >> 1));
      return;
    }
    if (!(await this.#upgrade(socket))) return;
    if (stage === 3) socket.write(text('{"type":"cmd","line":"look"}').subarray(0, 5));
  }

  /**
   * Sends one burst of this connection's kind. Bursts are built once and reused (BURST_VARIANTS
   * of each kind), so that the flood's own CPU goes to sockets, not to building frames: it runs
   * on the same machine as the server it measures.
   */
  #sendBurst(): void {
    let variants = this.#cache.get(this.#kind);
    if (variants === undefined) {
      variants = [];
      this.#cache.set(this.#kind, variants);
    }
    let burst = variants[this.#n % BURST_VARIANTS];
    if (burst === undefined) {
      const frames = burstOf(this.#kind, this.#rng, this.#o.maxPayloadBytes ?? 65_536);
      burst = { bytes: Buffer.concat(frames), frames: frames.length };
      variants[this.#n % BURST_VARIANTS] = burst;
    }
    const socket = this.#socket;
    if (socket === undefined || socket.destroyed) return;
    socket.write(burst.bytes);
    this.#count(burst.frames, burst.bytes.length);
  }

  #send(frames: Buffer[]): void {
    const socket = this.#socket;
    if (socket === undefined || socket.destroyed) return;
    const all = Buffer.concat(frames);
    socket.write(all);
    this.#count(frames.length, all.length);
  }

  #count(frames: number, bytes: number): void {
    this.#report.frames += frames;
    this.#report.bytes += bytes;
    this.#report.byKind[this.#kind] += frames;
  }
}

function handshake(host: string, port: number): Buffer {
  return Buffer.from(
    `GET /ws HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
