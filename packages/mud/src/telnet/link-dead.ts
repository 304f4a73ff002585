/** What the bridge keeps of a character whose telnet client dropped: how to ask for it back. */
export interface DroppedCharacter {
  /** The `auth-ok.resume` token of its last login. */
  readonly resume: string;
  /** Its session id: an `auth-ok` carrying the same one after a login is a resume. */
  readonly session: string;
}

interface Entry extends DroppedCharacter {
  readonly at: number;
}

/**
 * Entries kept at most: the oldest goes first. A token that is no longer good costs nothing (the
 * gateway answers it with an ordinary login), so forgetting one early only loses a replay.
 */
const MAX_ENTRIES = 10_000;
/** The longest grace period the engine allows (`sessions.graceMs` ≤ 24 h): past it no token is good. */
const MAX_AGE_MS = 86_400_000;

/**
 * Link-dead telnet characters, kept by the gateway's own sessions. When a line-mode client drops
 * without `quit`, the bridge closes its gateway connection as a drop (1001), so the gateway keeps
 * the character in the world for `sessions.graceMs` and records what is sent to it. The bridge
 * only remembers the character's resume token here: logging in again with the same name sends it
 * along with the secret, and the gateway gives the character back with what it missed, then the
 * room. After the grace period it is the gateway that logs the character out.
 */
export class LinkDeadCharacters {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Remembers how to resume a character whose client dropped. */
  remember(username: string, character: DroppedCharacter): void {
    this.#entries.delete(username);
    this.#entries.set(username, { ...character, at: this.#now() });
    if (this.#entries.size > MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  /** The resume token of a dropped character, for a login with its name; forgotten once taken. */
  take(username: string): DroppedCharacter | undefined {
    const entry = this.#entries.get(username);
    if (entry === undefined) return undefined;
    this.#entries.delete(username);
    if (this.#now() - entry.at > MAX_AGE_MS) return undefined;
    return { resume: entry.resume, session: entry.session };
  }

  /** Forgets every character (shutdown: the gateway ends their sessions itself). */
  clear(): void {
    this.#entries.clear();
  }
}
