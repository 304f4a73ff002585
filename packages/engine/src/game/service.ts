import type { GameLogger } from './context.js';

/**
 * What a game service is given when it starts: the server it runs beside. Services run on the
 * server's main thread, never in a shard, and speak to the game like any client, through the
 * gateway's WebSocket endpoint.
 */
export interface ServiceHost {
  /** The server's WebSocket endpoint on loopback: `ws://127.0.0.1:PORT/ws` (`wss://` with TLS). */
  readonly gatewayUrl: string;
  /** The address the server listens on (the `host` option); a service listens there too. */
  readonly host: string;
  /** How the server checks logins (`auth.mode`), so a service knows what to ask its users for. */
  readonly authMode: 'dev' | 'hmac' | 'accounts' | 'custom';
  /** The server's logger, bound to the service's name. */
  readonly log: GameLogger;
}

/** A service that is running; the server closes it first when it shuts down. */
export interface RunningService {
  /** The TCP port it listens on, where it has one (logged at start, read by tests). */
  readonly port?: number;
  /** Stops it: says goodbye to its clients and stops listening. Called once. */
  close(): Promise<void>;
}

/**
 * A game's companion on the server's main thread, started once the server listens and closed
 * first when it shuts down: a bridge for another kind of client (telnet), an admin port. It
 * reaches the game as a client of the gateway, so auth, limits and routing stay the gateway's.
 */
export interface GameService {
  /** A short name, unique within the game: the key of `server.services`, and in logs. */
  readonly name: string;
  start(host: ServiceHost): Promise<RunningService>;
}
