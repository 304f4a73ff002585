import { Interner } from '../ipc/intern.js';
import { newResumeToken, resumeTokenMatches } from './resume-token.js';

/** A character in play as main knows it: where its connection is, and the token that resumes it. */
export interface SessionEntry {
  readonly username: string;
  /** The gateway thread and its connection id: the player's key in the shards. */
  gateway: number;
  conn: number;
  readonly session: string;
  readonly roles: readonly string[];
  readonly capabilities: readonly string[];
  /** The shard it joined or was last reported on (the directory knows better while it is up). */
  shard: number;
  /** The current resume token; '' when sessions are off, while a resume uses it, or once it left. */
  token: string;
  /** Its connection is gone for good (logout or takeover): it is leaving its shard. */
  leaving: boolean;
}

/**
 * Every character in play across the gateways, on the main thread: the resume tokens (issued
 * here, single use, so that a resume lands on any gateway thread and survives the crash of the
 * one that issued it), the route of each character, and the highest connection id each gateway
 * has used (a restarted gateway starts above it). An entry lives from the login until the name is
 * released (its shard reported the logout).
 */
export class SessionTable {
  readonly #entries = new Map<string, SessionEntry>();
  readonly #highestConn: number[] = [];
  readonly #tokens: boolean;
  /** Roles and capabilities arrive as a fresh array per login: one copy of each list is kept. */
  readonly #intern = new Interner();

  /** @param tokens whether resume tokens are issued (`sessions.graceMs` > 0). */
  constructor(tokens: boolean) {
    this.#tokens = tokens;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(username: string): SessionEntry | undefined {
    return this.#entries.get(username);
  }

  /**
   * A login: records where the character plays; returns its first resume token ('' when off), or
   * `keep` (the character logged in again as its zone moved: its client holds that token).
   */
  open(entry: Omit<SessionEntry, 'token' | 'leaving'>, keep?: string): string {
    this.sawConn(entry.gateway, entry.conn);
    const token = this.#tokens ? keep || newResumeToken() : '';
    // Every field spelled out rather than `{ ...entry, token, leaving: false }`: the spread gave
    // each entry a hidden class of its own (12,000 maps and descriptor arrays for 12,000 players
    // in a heap snapshot of the main thread, about 310 bytes per player). The role and capability
    // lists were a pair of arrays per player as well (`['player']` 12,000 times).
    this.#entries.set(entry.username, {
      username: entry.username,
      gateway: entry.gateway,
      conn: entry.conn,
      session: entry.session,
      roles: this.#intern.list(entry.roles),
      capabilities: this.#intern.list(entry.capabilities),
      shard: entry.shard,
      token,
      leaving: false,
    });
    return token;
  }

  /** Whether `token` resumes `username` now: its entry, else undefined. */
  match(username: string, token: string): SessionEntry | undefined {
    const entry = this.#entries.get(username);
    if (entry === undefined || entry.leaving || !resumeTokenMatches(entry.token, token)) return undefined;
    return entry;
  }

  /** A fresh token for `entry` (the previous one is spent). */
  rotate(entry: SessionEntry): string {
    entry.token = this.#tokens ? newResumeToken() : '';
    return entry.token;
  }

  /** The character's connection is gone for good: its token dies, it is leaving. */
  leaving(username: string): void {
    const entry = this.#entries.get(username);
    if (entry === undefined) return;
    entry.leaving = true;
    entry.token = '';
  }

  /** The name was released: the character is out of every shard. */
  remove(username: string): void {
    this.#entries.delete(username);
  }

  /** Every entry whose connection is on `gateway`. */
  onGateway(gateway: number): SessionEntry[] {
    const out: SessionEntry[] = [];
    for (const entry of this.#entries.values()) if (entry.gateway === gateway) out.push(entry);
    return out;
  }

  /** A connection id `gateway` used for a player (a login or a resume). */
  sawConn(gateway: number, conn: number): void {
    if (conn > (this.#highestConn[gateway] ?? 0)) this.#highestConn[gateway] = conn;
  }

  /** The first connection id a (re)started thread of `gateway` may give out. */
  firstConn(gateway: number): number {
    return (this.#highestConn[gateway] ?? 0) + 1;
  }

  clear(): void {
    this.#entries.clear();
  }
}
