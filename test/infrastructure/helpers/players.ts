import WebSocket from 'ws';

/** One authenticated player over a real WebSocket, speaking the protocol as a plain client does. */
export interface Player {
  /** Sends a command line and resolves with the `reply` that carries its id back. */
  command(line: string): Promise<{ ok: boolean; text?: string }>;
  close(): Promise<void>;
}

interface Waiter {
  resolve(reply: { ok: boolean; text?: string }): void;
  reject(error: Error): void;
}

/**
 * Connects to `ws://127.0.0.1:PORT/ws` and authenticates with the development token.
 * Rejects when the server answers anything but `auth-ok`, or after `timeoutMs`.
 */
export function connectPlayer(port: number, username: string, timeoutMs = 15_000): Promise<Player> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    const waiters = new Map<string, Waiter>();
    let nextId = 0;
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`${username}: no auth-ok within ${timeoutMs} ms`));
    }, timeoutMs);
    const fail = (error: Error) => {
      for (const w of waiters.values()) w.reject(error);
      waiters.clear();
    };
    ws.on('error', (error) => {
      clearTimeout(timer);
      fail(error);
      reject(error);
    });
    ws.on('close', () => fail(new Error(`${username}: connection closed`)));
    ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', username, token: 'test-token' })));
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; re?: string; ok?: boolean; text?: string };
      if (message.type === 'auth-ok') {
        clearTimeout(timer);
        resolve(player);
      } else if (message.type === 'auth-error') {
        clearTimeout(timer);
        reject(new Error(`${username}: ${String(data)}`));
      } else if (message.type === 'reply' && message.re !== undefined) {
        const waiter = waiters.get(message.re);
        waiters.delete(message.re);
        waiter?.resolve({
          ok: message.ok === true,
          ...(message.text === undefined ? {} : { text: message.text }),
        });
      }
    });
    const player: Player = {
      command(line) {
        const id = `c${++nextId}`;
        return new Promise((res, rej) => {
          waiters.set(id, { resolve: res, reject: rej });
          ws.send(JSON.stringify({ type: 'cmd', line, id }));
        });
      },
      close() {
        if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
        return new Promise((res) => {
          ws.once('close', () => res());
          ws.close(1000);
        });
      },
    };
  });
}
