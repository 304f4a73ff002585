import WebSocket from 'ws';

// biome-ignore lint/suspicious/noExplicitAny: server messages are checked by the tests that read them
export type Msg = { type: string; [key: string]: any };

/** Waits are event-driven; this only bounds them so a broken server fails the test, not hangs it. */
const WAIT_MS = 20_000;

/**
 * A player over a real WebSocket: keeps every message received, and waits for the first one not
 * taken yet that matches (each message is taken by at most one wait).
 */
export class MudClient {
  readonly name: string;
  readonly received: Msg[] = [];
  readonly #ws: WebSocket;
  #cursor = 0;
  readonly #taken = new Set<number>();
  #waiters: Array<() => void> = [];
  #nextId = 1;
  closed: Promise<{ code: number; reason: string }>;

  private constructor(name: string, ws: WebSocket) {
    this.name = name;
    this.#ws = ws;
    ws.on('message', (data) => {
      for (const line of data.toString().split('\n')) if (line) this.received.push(JSON.parse(line) as Msg);
      for (const w of this.#waiters) w();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  static async login(url: string, name: string, extra: Record<string, unknown> = {}): Promise<MudClient> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const client = new MudClient(name, ws);
    ws.send(
      JSON.stringify({
        type: 'auth',
        username: name,
        token: 'test-token',
        capabilities: ['events'],
        ...extra,
      }),
    );
    const ok = await client.next((m) => m.type === 'auth-ok' || m.type === 'auth-error');
    if (ok.type !== 'auth-ok') throw new Error(`login of ${name} failed: ${ok.message}`);
    if (extra.capabilities === undefined || (extra.capabilities as string[]).includes('events'))
      await client.next((m) => m.type === 'room');
    return client;
  }

  /** A client that asks for no capabilities (no structured events): logged in once auth-ok came. */
  static loginPlain(url: string, name: string): Promise<MudClient> {
    return MudClient.login(url, name, { capabilities: [] });
  }

  /** The next message (after earlier waits) that matches; rejects after a generous bound. */
  next(match: (m: Msg) => boolean, what = 'a matching message', from = 0): Promise<Msg> {
    return new Promise((resolve, reject) => {
      const check = () => {
        // Scan every message not yet taken by an earlier wait: a reply may come before or after
        // the messages its command caused (a handoff answers from two shards).
        for (let i = Math.max(this.#cursor, from); i < this.received.length; i++) {
          if (this.#taken.has(i)) continue;
          const m = this.received[i]!;
          if (!match(m)) continue;
          this.#taken.add(i);
          while (this.#taken.has(this.#cursor)) this.#taken.delete(this.#cursor++);
          cleanup();
          resolve(m);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `${this.name}: no ${what} within ${WAIT_MS} ms; got ${JSON.stringify(this.received.slice(-5))}`,
          ),
        );
      }, WAIT_MS);
      const cleanup = () => {
        clearTimeout(timer);
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
      };
      const waiter = () => {
        check();
      };
      if (!check()) this.#waiters.push(waiter);
    });
  }

  /**
   * Sends a line and waits for its answer: its `reply`, or an `error` for it (refused before it
   * reached the game: rate-limited, or its zone moving), which has no `ok`.
   */
  async cmd(line: string): Promise<Msg> {
    const id = this.#nextId++;
    this.#ws.send(JSON.stringify({ type: 'cmd', line, id }));
    return this.next((m) => (m.type === 'reply' || m.type === 'error') && m.re === id, `reply to "${line}"`);
  }

  /** A text message containing `part`. */
  text(part: string): Promise<Msg> {
    return this.next(
      (m) => m.type === 'text' && typeof m.text === 'string' && m.text.includes(part),
      `text with "${part}"`,
    );
  }

  /** Walks a path of directions, waiting for the room after each step; returns the last room. */
  async walk(...dirs: string[]): Promise<Msg> {
    let room: Msg | undefined;
    for (const d of dirs) {
      const from = this.received.length;
      const reply = await this.cmd(d);
      if (!reply.ok) throw new Error(`${this.name} could not go ${d}: ${reply.text}`);
      room = await this.next((m) => m.type === 'room', `room after ${d}`, from);
    }
    return room!;
  }

  send(message: object): void {
    this.#ws.send(JSON.stringify(message));
  }

  /** Sends several messages in one WebSocket message, as JSON lines (the gateway reads them at once). */
  sendLines(messages: readonly object[]): void {
    this.#ws.send(messages.map((m) => JSON.stringify(m)).join('\n'));
  }

  close(): void {
    this.#ws.close();
  }

  /** Drops the connection without a close handshake, as a lost network does (the server sees 1006). */
  drop(): void {
    this.#ws.terminate();
  }

  /** The resume token of this connection's `auth-ok`. */
  get resumeToken(): string | undefined {
    return this.received.find((m) => m.type === 'auth-ok')?.resume as string | undefined;
  }

  /**
   * Closes and waits for the close to finish, so a server stopped next never has a close
   * handshake in flight (a uWS thread must not exit with a socket open).
   */
  async closeAndWait(): Promise<void> {
    if (this.#ws.readyState !== WebSocket.CLOSED) this.#ws.close();
    await this.closed;
  }
}
