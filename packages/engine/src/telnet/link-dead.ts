import { createHash, timingSafeEqual } from 'node:crypto';
import type WebSocket from 'ws';
import { ReplayBuffer } from '../sessions/replay-buffer.js';

/** A character whose telnet client dropped: its gateway connection, and what it missed since. */
export interface HeldCharacter {
  readonly ws: WebSocket;
  readonly replay: ReplayBuffer;
}

interface Entry extends HeldCharacter {
  readonly digest: Buffer;
  readonly timer: NodeJS.Timeout;
  readonly onMessage: (data: WebSocket.RawData, isBinary: boolean) => void;
  readonly onClose: () => void;
}

/** A digest of the secret typed at login, so the secret itself is never kept. */
export function secretDigest(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

/**
 * Link-dead telnet characters. When a line-mode client drops without `quit`, its session keeps
 * the gateway connection open for `graceMs`: the character stays in the world (others still see
 * it, talk to it, hand it things), and what is sent to it is kept in a ReplayBuffer. Logging in
 * again with the same name and secret within the grace period takes the connection back, with the
 * replay, without a new login at the gateway. After the grace period the connection closes as a
 * normal logout.
 */
export class LinkDeadCharacters {
  readonly #graceMs: number;
  readonly #entries = new Map<string, Entry>();

  /** @param graceMs how long a dropped character waits, in ms; 0 keeps none. */
  constructor(graceMs: number) {
    this.#graceMs = graceMs;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Keeps a dropped character's connection. False (the caller closes it) when there is no grace. */
  hold(username: string, digest: Buffer, ws: WebSocket): boolean {
    if (this.#graceMs <= 0 || this.#entries.has(username)) return false;
    const replay = new ReplayBuffer();
    const onMessage = (data: WebSocket.RawData, isBinary: boolean) => {
      if (!isBinary) replay.push(data.toString());
    };
    const onClose = () => this.#drop(username);
    ws.on('message', onMessage);
    ws.on('close', onClose);
    const timer = setTimeout(() => {
      this.#drop(username);
      ws.close(1000, 'link-dead too long');
    }, this.#graceMs);
    timer.unref();
    this.#entries.set(username, { ws, replay, digest, timer, onMessage, onClose });
    return true;
  }

  /** Takes a held character back for a login with the same name and secret. */
  take(username: string, digest: Buffer): HeldCharacter | undefined {
    const entry = this.#entries.get(username);
    if (
      entry === undefined ||
      entry.digest.length !== digest.length ||
      !timingSafeEqual(entry.digest, digest)
    ) {
      return undefined;
    }
    this.#drop(username);
    return { ws: entry.ws, replay: entry.replay };
  }

  /** Closes every held connection (shutdown). */
  closeAll(): void {
    for (const [username, entry] of [...this.#entries]) {
      this.#drop(username);
      entry.ws.close(1001, 'shutting down');
    }
  }

  #drop(username: string): void {
    const entry = this.#entries.get(username);
    if (entry === undefined) return;
    this.#entries.delete(username);
    clearTimeout(entry.timer);
    entry.ws.off('message', entry.onMessage);
    entry.ws.off('close', entry.onClose);
  }
}
