import { createServer, type Server } from 'node:net';
import { DEFAULT_LIMITS } from '@leviathan/protocol';
import WebSocket from 'ws';
import { LinkDeadCharacters } from './link-dead.js';
import { TelnetSession, type TelnetSessionOptions } from './telnet-session.js';

export interface TelnetServerOptions {
  /**
   * Address to listen on.
   * @default '127.0.0.1'
   */
  host?: string;
  /**
   * TCP port; 0 picks a free one.
   * @default 4000
   */
  port?: number;
  /** The gateway's WebSocket URL, such as `ws://127.0.0.1:8080/ws`. */
  gatewayUrl: string;
  /**
   * How the secret typed at the password prompt is sent: `password` for account login, `token`
   * for HMAC or development tokens.
   * @default 'password'
   */
  secretAs?: 'password' | 'token';
  /** Development mode: an empty password logs in with this token (e.g. `test-token`). */
  defaultToken?: string;
  /** @default 'Welcome to Leviathan.' */
  banner?: string;
  /**
   * The MUD's name, as MUD listings show it (MSSP `NAME`).
   * @default 'Leviathan'
   */
  mudName?: string;
  /**
   * More MSSP variables for MUD listings (`CONTACT`, `WEBSITE`, `LANGUAGE`, ...), beside the
   * `NAME`, `PLAYERS`, `UPTIME` and `CODEBASE` the server fills in.
   */
  mssp?: Record<string, string | number | readonly (string | number)[]>;
  /**
   * Columns to word-wrap text at for line-mode clients that do not report their window width
   * (NAWS); 0 for none. A client that reports it gets text wrapped two columns short of it.
   * @default 78
   */
  wrap?: number;
  /**
   * Longest input line, in bytes.
   * @default 16384 (DEFAULT_LIMITS.maxLineBytes)
   */
  maxLineBytes?: number;
  /**
   * How long to wait for a first line before greeting a client, in ms: a JSON-lines bot that
   * speaks first gets no banner.
   * @default 250
   */
  greetDelayMs?: number;
  /**
   * Most simultaneous TCP clients.
   * @default 1000
   */
  maxConnections?: number;
  /**
   * Most simultaneous TCP clients from one remote address. The gateway sees every telnet client
   * as coming from loopback, so its per-address limits cannot tell them apart: this one can.
   * @default 20
   */
  maxConnectionsPerAddress?: number;
}

/** Longest wait for a gateway connection to finish closing in close(), in ms. @default 2000 */
const CLOSE_WAIT_MS = 2_000;

export interface TelnetServer {
  listen(): Promise<{ port: number }>;
  /** Tells every client goodbye and stops listening. */
  close(): Promise<void>;
  readonly port: number;
  readonly connections: number;
}

/**
 * A line-mode character whose client drops without `quit` stays in the world for the server's
 * `sessions.graceMs`, as a dropped WebSocket client does: logging in again with the same name and
 * secret takes it back, with what it missed (the gateway's session resume). With `graceMs` 0 it
 * logs out at once.
 *
 * A TCP port for telnet and MUD clients (line mode) and JSON-lines bots, speaking to the game
 * through the gateway's WebSocket endpoint on loopback, so auth, limits and routing to shards
 * have one implementation. Measured here (2 cores, 20 clients each way, `look` round trips,
 * process CPU of clients, bridge and server together, median of 3 × 600): 363 µs per round trip
 * over WebSocket, 413 µs through this bridge in JSON-lines mode (×1.14); latency is the tick's
 * either way (100 ms at 10 Hz, ×1.01). A MUD's telnet traffic is small: the hop is worth it.
 */
export function createTelnetServer(options: TelnetServerOptions): TelnetServer {
  const sessions = new Set<TelnetSession>();
  /** When the port started listening, in seconds since the epoch: MSSP's UPTIME. */
  let startedAt = Math.floor(Date.now() / 1000);
  const mssp = () => {
    let players = 0;
    for (const session of sessions) if (session.phase === 'playing') players++;
    return {
      NAME: options.mudName ?? 'Leviathan',
      PLAYERS: players,
      UPTIME: startedAt,
      CODEBASE: 'Leviathan',
      ANSI: 1,
      GMCP: 1,
      MCCP: 1,
      ...options.mssp,
    };
  };
  const sessionOptions: TelnetSessionOptions = {
    gatewayUrl: options.gatewayUrl,
    secretAs: options.secretAs ?? 'password',
    defaultToken: options.defaultToken,
    banner: options.banner ?? 'Welcome to Leviathan.',
    wrap: options.wrap ?? 78,
    mssp,
    maxLineBytes: options.maxLineBytes ?? DEFAULT_LIMITS.maxLineBytes,
    greetDelayMs: options.greetDelayMs ?? 250,
    maxQueued: 256,
    linkDead: new LinkDeadCharacters(),
    gatewaySockets: new Set(),
  };
  const perAddress = new Map<string, number>();
  const maxPerAddress = options.maxConnectionsPerAddress ?? 20;
  let server: Server | undefined;
  let port = 0;
  return {
    get port() {
      return port;
    },
    get connections() {
      return sessions.size;
    },
    listen() {
      startedAt = Math.floor(Date.now() / 1000);
      const s = createServer({ noDelay: true });
      server = s;
      s.maxConnections = options.maxConnections ?? 1000;
      s.on('connection', (socket) => {
        const address = socket.remoteAddress ?? '';
        const count = perAddress.get(address) ?? 0;
        if (count >= maxPerAddress) {
          socket.end(`Too many connections from your address (${maxPerAddress} at most).\r\n`);
          return;
        }
        perAddress.set(address, count + 1);
        const session: TelnetSession = new TelnetSession(socket, sessionOptions, () => {
          sessions.delete(session);
          const left = (perAddress.get(address) ?? 1) - 1;
          if (left <= 0) perAddress.delete(address);
          else perAddress.set(address, left);
        });
        sessions.add(session);
      });
      return new Promise((resolve, reject) => {
        s.once('error', reject);
        s.listen(options.port ?? 4000, options.host ?? '127.0.0.1', () => {
          s.off('error', reject);
          const address = s.address();
          port = typeof address === 'object' && address !== null ? address.port : 0;
          resolve({ port });
        });
      });
    },
    async close() {
      for (const session of [...sessions]) session.end('The server is shutting down.');
      sessionOptions.linkDead.clear();
      const s = server;
      server = undefined;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
      // Resolve once the gateway connections have finished closing, so a server stopped right
      // after this never sees a close handshake still in flight. Bounded: a gateway that does not
      // answer is torn down.
      const open = [...sessionOptions.gatewaySockets];
      await Promise.all(
        open.map(
          (ws) =>
            new Promise<void>((resolve) => {
              if (ws.readyState === WebSocket.CLOSED) return resolve();
              const timer = setTimeout(() => {
                ws.terminate();
                resolve();
              }, CLOSE_WAIT_MS);
              ws.once('close', () => {
                clearTimeout(timer);
                resolve();
              });
            }),
        ),
      );
    },
  };
}
