import WebSocket from 'ws';

export interface ServerMsg {
  type: string;
  re?: string | number;
  [key: string]: unknown;
}

/**
 * A WebSocket test client: collects every server message and lets a test wait for one matching a
 * predicate (event-driven, with a generous timeout; no sleeps).
 */
export class TestClient {
  readonly ws: WebSocket;
  readonly messages: ServerMsg[] = [];
  closeCode: number | undefined;
  closeReason = '';
  readonly #waiters: Array<{ match: (m: ServerMsg) => boolean; resolve: (m: ServerMsg) => void }> = [];
  readonly #closeWaiters: Array<(code: number) => void> = [];
  #nextId = 1;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      for (const line of data.toString().split('\n')) {
        if (line.length === 0) continue;
        const msg = JSON.parse(line) as ServerMsg;
        this.messages.push(msg);
        for (let i = 0; i < this.#waiters.length; i++) {
          const w = this.#waiters[i]!;
          if (w.match(msg)) {
            this.#waiters.splice(i, 1);
            w.resolve(msg);
            break;
          }
        }
      }
    });
    ws.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString();
      for (const w of this.#closeWaiters.splice(0)) w(code);
    });
    ws.on('error', () => {});
  }

  static async connect(port: number, path = '/ws'): Promise<TestClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
    const client = new TestClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  /**
   * Connects and authenticates in development mode, asking for structured events (`chat`,
   * `room`, ...; pass `capabilities` in `extra` to ask otherwise); resolves once auth-ok came.
   */
  static async login(
    port: number,
    username: string,
    extra: Record<string, unknown> = {},
  ): Promise<TestClient> {
    const client = await TestClient.connect(port);
    client.send({ type: 'auth', username, token: 'test-token', capabilities: ['events'], ...extra });
    const reply = await client.next((m) => m.type === 'auth-ok' || m.type === 'auth-error');
    if (reply.type !== 'auth-ok') throw new Error(`login failed: ${JSON.stringify(reply)}`);
    return client;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first message (already received or coming) that matches. */
  next(match: (m: ServerMsg) => boolean, timeoutMs = 15_000): Promise<ServerMsg> {
    const seen = this.messages.find(match);
    if (seen !== undefined) {
      this.messages.splice(this.messages.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        reject(new Error(`timed out waiting for a message; got ${JSON.stringify(this.messages.slice(-5))}`));
      }, timeoutMs);
      const waiter = {
        match,
        resolve: (m: ServerMsg) => {
          clearTimeout(timer);
          const i = this.messages.indexOf(m);
          if (i >= 0) this.messages.splice(i, 1);
          resolve(m);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  /** Sends a command with a fresh id and waits for the answer carrying it back (reply or error). */
  async command(line: string, timeoutMs?: number): Promise<ServerMsg> {
    const id = this.#nextId++;
    this.send({ type: 'cmd', line, id });
    return this.next((m) => m.re === id && (m.type === 'reply' || m.type === 'error'), timeoutMs);
  }

  closed(timeoutMs = 15_000): Promise<number> {
    if (this.closeCode !== undefined) return Promise.resolve(this.closeCode);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for close')), timeoutMs);
      this.#closeWaiters.push((code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
  }
}
