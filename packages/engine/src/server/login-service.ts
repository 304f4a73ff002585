import { CloseCode, ErrorCode } from '@leviathan/protocol';
import type { EngineConfig } from '../config/engine-config.js';
import type { GameDefinition } from '../game/game-definition.js';
import type { LoginResult } from '../ipc/gateway-link.js';
import type { StateCache } from '../supervisor/state-cache.js';
import type { LoginRegistry } from './login-registry.js';
import type { PersistenceHooks } from './persistence-hooks.js';

/** How long a takeover waits for the old session's final state, in ms. */
const TAKEOVER_WAIT_MS = 5_000;

/**
 * Logins across every gateway (main thread): one character per name. A login reserves the name,
 * loads the player's latest state (main's cache, else the store) and says which shard owns the
 * player's zone. A second login as a character in play takes it over (`sessions.duplicateLogin`
 * 'takeover': the old session gets `bye` 4006, or leaves at once if it was held after a drop,
 * and the new one continues once the old one's final state is in the cache) or is refused.
 */
export class LoginService {
  readonly #config: EngineConfig;
  readonly #logins: LoginRegistry;
  readonly #cache: StateCache;
  readonly #persistence: PersistenceHooks;
  readonly #game: GameDefinition;
  readonly #zoneMap: Readonly<Record<string, number>>;
  readonly #kick: (username: string, code: number, reason: string) => void;
  /** Whether logins are taken (from the moment a gateway listens until shutdown). */
  open = true;

  constructor(options: {
    config: EngineConfig;
    logins: LoginRegistry;
    cache: StateCache;
    persistence: PersistenceHooks;
    game: GameDefinition;
    zoneMap: Readonly<Record<string, number>>;
    kick: (username: string, code: number, reason: string) => void;
  }) {
    this.#config = options.config;
    this.#logins = options.logins;
    this.#cache = options.cache;
    this.#persistence = options.persistence;
    this.#game = options.game;
    this.#zoneMap = options.zoneMap;
    this.#kick = options.kick;
  }

  async login(username: string): Promise<LoginResult> {
    if (!this.open)
      return { ok: false, code: ErrorCode.ServerShuttingDown, message: 'the server is shutting down' };
    const takeOver = this.#logins.has(username) && !this.#logins.isLeaving(username);
    if (takeOver && this.#config.sessions.duplicateLogin === 'refuse') {
      return { ok: false, code: ErrorCode.AlreadyConnected, message: `${username} is already playing` };
    }
    if (takeOver) this.#kick(username, CloseCode.TakenOver, 'logged in from elsewhere');
    if (!(await this.#logins.reserve(username, TAKEOVER_WAIT_MS, takeOver))) {
      return { ok: false, code: ErrorCode.AlreadyConnected, message: `${username} is already playing` };
    }
    try {
      this.#cache.online(username);
      const snapshot =
        this.#cache.player(username) ?? (await this.#persistence.loadPlayer?.(username)) ?? null;
      const start = typeof this.#game.start === 'function' ? this.#game.start(username) : this.#game.start;
      let zone = snapshot?.data.zone ?? start.zone;
      let room = snapshot ? snapshot.data.room : (start.room ?? null);
      if (this.#zoneMap[zone] === undefined) {
        zone = start.zone;
        room = start.room ?? null;
      }
      return { ok: true, zone, room, shard: this.#zoneMap[zone]!, snapshot };
    } catch (err) {
      this.#logins.release(username);
      throw err;
    }
  }

  /** The player's connection is gone; `joined`: its shard will report the logout. */
  logout(username: string, joined: boolean): void {
    this.#logins.leaving(username, joined);
  }
}
