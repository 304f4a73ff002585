import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ReplayBuffer } from './replay-buffer.js';

/** What to do when someone logs in as a character that is already connected. */
export type DuplicateLogin = 'takeover' | 'refuse';

export interface SessionKeeperOptions {
  /**
   * How long a character whose connection dropped stays in the world, in milliseconds, waiting
   * to be taken back; 0 removes it at once.
   * @default 120000
   */
  graceMs?: number;
  /**
   * A second login with the name of a connected character: `takeover` closes the old connection
   * (close code 4006, TakenOver) and gives the character to the new one; `refuse` turns the new
   * one away (LEV_ERR_ALREADY_CONNECTED, close 4010). Never a second character.
   * @default 'takeover'
   */
  duplicateLogin?: DuplicateLogin;
  /** Messages kept for a link-dead character. @default 200 */
  replayMessages?: number;
  /** Called when a link-dead character's grace period ends: remove it from the world now. */
  onExpire: (username: string, connection: ConnectionRef) => void;
  /** Clock and timers, injectable for tests. */
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/** Where a character's connection is: a gateway thread and its connection id there. */
export interface ConnectionRef {
  readonly gateway: number;
  readonly conn: number;
}

/** The answer to a login, for the gateway to act on. */
export type LoginDecision =
  /** No character in play: join as usual. `resume` goes into `auth-ok.resume`. */
  | { kind: 'join'; resume: string }
  /**
   * The character is in the world and this connection takes it: re-route the player's shard
   * record to `connection`, write `replay` to it first, and close `previous` (if any, open) with
   * TakenOver. `resume` is a fresh token.
   */
  | {
      kind: 'reattach';
      resume: string;
      previous: ConnectionRef | undefined;
      replay: string[];
      missed: number;
    }
  /** Refused by configuration: answer LEV_ERR_ALREADY_CONNECTED and close with 4010. */
  | { kind: 'refuse' };

interface Entry {
  connection: ConnectionRef | undefined;
  token: Buffer;
  /** Set while link-dead. */
  replay: ReplayBuffer | undefined;
  timer: unknown;
  expiresAt: number;
}

/**
 * Sessions as MUD players expect them, kept on the main thread (it sees every gateway): a
 * dropped connection leaves the character in the world for a grace period; logging in again
 * with the `resume` token from `auth-ok` (or, with `takeover`, with valid credentials alone)
 * takes it back with what it missed; a second login never makes a second character. The gateway
 * asks `login` after the credentials are verified, reports `connected`, `dropped` and `quit`, and
 * hands `record` the messages meant for link-dead characters.
 */
export class SessionKeeper {
  readonly #entries = new Map<string, Entry>();
  readonly #graceMs: number;
  readonly #duplicate: DuplicateLogin;
  readonly #replayMessages: number;
  readonly #onExpire: SessionKeeperOptions['onExpire'];
  readonly #now: () => number;
  readonly #setTimer: (fn: () => void, ms: number) => unknown;
  readonly #clearTimer: (handle: unknown) => void;

  constructor(options: SessionKeeperOptions) {
    this.#graceMs = options.graceMs ?? 120_000;
    this.#duplicate = options.duplicateLogin ?? 'takeover';
    this.#replayMessages = options.replayMessages ?? 200;
    this.#onExpire = options.onExpire;
    this.#now = options.now ?? Date.now;
    this.#setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
    this.#clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout));
  }

  /** Characters in the world (connected or link-dead). */
  get size(): number {
    return this.#entries.size;
  }

  isLinkDead(username: string): boolean {
    return this.#entries.get(username)?.replay !== undefined;
  }

  /** Decides what a verified login as `username` (with an optional resume token) gets. */
  login(username: string, resume?: string): LoginDecision {
    const entry = this.#entries.get(username);
    if (entry === undefined) {
      const token = newToken();
      this.#entries.set(username, {
        connection: undefined,
        token,
        replay: undefined,
        timer: undefined,
        expiresAt: 0,
      });
      return { kind: 'join', resume: token.toString('base64url') };
    }
    const tokenMatches = resume !== undefined && sameToken(entry.token, resume);
    const linkDead = entry.replay !== undefined;
    // A resume token proves this is the same player: it may always take the character back. A
    // link-dead character comes back to valid credentials too; a connected one only by takeover.
    if (!tokenMatches && !linkDead && this.#duplicate === 'refuse') return { kind: 'refuse' };
    const previous = linkDead ? undefined : entry.connection;
    const replay = entry.replay?.drain() ?? [];
    const missed = entry.replay?.dropped ?? 0;
    if (entry.timer !== undefined) this.#clearTimer(entry.timer);
    entry.timer = undefined;
    entry.replay = undefined;
    entry.connection = undefined;
    entry.token = newToken();
    return { kind: 'reattach', resume: entry.token.toString('base64url'), previous, replay, missed };
  }

  /** The login's connection is open and joined: messages go to it from now on. */
  connected(username: string, connection: ConnectionRef): void {
    const entry = this.#entries.get(username);
    if (entry !== undefined) entry.connection = connection;
  }

  /**
   * A connection closed without `quit`. Returns true when its character stays link-dead (keep it
   * in the world, send its messages to `record`), false when it should leave now.
   */
  dropped(username: string, connection: ConnectionRef): boolean {
    const entry = this.#entries.get(username);
    if (entry === undefined || !sameConnection(entry.connection, connection)) return false;
    if (this.#graceMs <= 0) {
      this.#entries.delete(username);
      return false;
    }
    entry.replay = new ReplayBuffer(this.#replayMessages);
    entry.expiresAt = this.#now() + this.#graceMs;
    entry.timer = this.#setTimer(() => {
      const current = this.#entries.get(username);
      if (current !== entry || entry.replay === undefined) return;
      this.#entries.delete(username);
      this.#onExpire(username, connection);
    }, this.#graceMs);
    return true;
  }

  /** The player quit (or was kicked, or logged out by idling): no grace. */
  quit(username: string): void {
    const entry = this.#entries.get(username);
    if (entry === undefined) return;
    if (entry.timer !== undefined) this.#clearTimer(entry.timer);
    this.#entries.delete(username);
  }

  /** Keeps a message meant for a link-dead character. False when the character is not link-dead. */
  record(username: string, encoded: string): boolean {
    const replay = this.#entries.get(username)?.replay;
    if (replay === undefined) return false;
    replay.push(encoded);
    return true;
  }

  /** Ends every grace period (shutdown): the characters are removed by the caller. */
  clear(): void {
    for (const entry of this.#entries.values()) if (entry.timer !== undefined) this.#clearTimer(entry.timer);
    this.#entries.clear();
  }
}

function newToken(): Buffer {
  return randomBytes(18);
}

function sameToken(expected: Buffer, given: string): boolean {
  const b = Buffer.from(given, 'base64url');
  return b.length === expected.length && timingSafeEqual(b, expected);
}

function sameConnection(a: ConnectionRef | undefined, b: ConnectionRef): boolean {
  return a !== undefined && a.gateway === b.gateway && a.conn === b.conn;
}
