import WebSocket from 'ws';

/**
 * Well-behaved players beside the flood: each logs in once and then plays in a closed loop (one
 * command, wait for its reply, think a little, the next), recording every command's round trip.
 * They connect from 127.0.1.x; the flood comes from other loopback addresses.
 */
export interface PlayersOptions {
  readonly port: number;
  readonly count: number;
  readonly token: (username: string) => string;
  /** The command line each player sends. @default 'echo hello' */
  readonly line?: string;
  /** Think time between a reply and the next command, drawn uniformly in this range, ms. */
  readonly thinkMs?: readonly [number, number];
  /** Longest wait for a reply before it counts as lost, in ms. @default 10000 */
  readonly replyTimeoutMs?: number;
}

interface Player {
  readonly ws: WebSocket;
  nextId: number;
  sentAt: number;
  pending: number | undefined;
  timer: NodeJS.Timeout | undefined;
}

export class Players {
  readonly #o: PlayersOptions;
  readonly #players: Player[] = [];
  #samples: number[] = [];
  #running = true;
  /** Commands answered with an error, never answered, or players whose connection closed. */
  errors = 0;
  lost = 0;
  closed = 0;

  private constructor(options: PlayersOptions) {
    this.#o = options;
  }

  /** Logs every player in (one after the other, as people arrive), then starts them playing. */
  static async start(options: PlayersOptions): Promise<Players> {
    const players = new Players(options);
    for (let i = 0; i < options.count; i++) players.#players.push(await players.#login(`player${i}`));
    for (const p of players.#players) players.#play(p);
    return players;
  }

  /** The round trips (ms) recorded since the last call. */
  take(): number[] {
    const out = this.#samples;
    this.#samples = [];
    return out;
  }

  stop(): void {
    this.#running = false;
    for (const p of this.#players) {
      if (p.timer !== undefined) clearTimeout(p.timer);
      p.ws.terminate();
    }
  }

  async #login(username: string): Promise<Player> {
    // Each player from an address of its own, as people are: the server's per-address login
    // limit (1 a second after a burst of 10, by default) applies to them as to the flood.
    const address = `127.0.1.${this.#players.length + 1}`;
    const ws = new WebSocket(`ws://127.0.0.1:${this.#o.port}/ws`, { localAddress: address });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ type: 'auth', username, token: this.#o.token(username) }));
    await new Promise<void>((resolve, reject) => {
      ws.once('message', (data) => {
        const m = JSON.parse(String(data)) as { type: string };
        if (m.type === 'auth-ok') resolve();
        else reject(new Error(`${username} could not log in: ${String(data)}`));
      });
    });
    const player: Player = { ws, nextId: 1, sentAt: 0, pending: undefined, timer: undefined };
    ws.on('message', (data) => this.#received(player, String(data)));
    ws.on('close', () => {
      if (this.#running) this.closed++;
    });
    ws.on('error', () => {});
    return player;
  }

  #play(p: Player): void {
    if (!this.#running || p.ws.readyState !== WebSocket.OPEN) return;
    const id = p.nextId++;
    p.pending = id;
    p.sentAt = performance.now();
    p.ws.send(`{"type":"cmd","line":${JSON.stringify(this.#o.line ?? 'echo hello')},"id":${id}}`);
    p.timer = setTimeout(() => {
      if (p.pending !== id) return;
      this.lost++;
      this.#next(p);
    }, this.#o.replyTimeoutMs ?? 10_000);
  }

  #received(p: Player, data: string): void {
    for (const line of data.split('\n')) {
      if (!line.includes('"re"')) continue;
      const m = JSON.parse(line) as { type: string; re?: number };
      if (m.re !== p.pending) continue;
      if (p.timer !== undefined) clearTimeout(p.timer);
      p.pending = undefined;
      if (m.type === 'reply') this.#samples.push(performance.now() - p.sentAt);
      else this.errors++;
      this.#next(p);
    }
  }

  #next(p: Player): void {
    p.pending = undefined;
    const [lo, hi] = this.#o.thinkMs ?? [20, 80];
    p.timer = setTimeout(() => this.#play(p), lo + Math.random() * (hi - lo));
  }
}

/** The q-quantile (0..1) of `values`, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}
