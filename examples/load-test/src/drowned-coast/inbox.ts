import type { WsSession } from '@leviathan/loadgen';
import type { TextMessage } from '@leviathan/protocol';

/** At most this many messages wait in an inbox: a partner that keeps talking cannot grow it. */
const CAPACITY = 64;

/**
 * What the partner sent this VU, kept until a step takes it. `ws.waitFor` only sees messages
 * that arrive after it is called, and a partner's tell or handed item may arrive first (even in
 * the same socket read as the reply the step was waiting on); the inbox listens from login on.
 * Only lines from the partner are kept: the room's chatter from other pairs would fill it.
 */
export class PartnerInbox {
  readonly #kept: TextMessage[] = [];
  #waiter: { match: (m: TextMessage) => boolean; resolve: (m: TextMessage | undefined) => void } | undefined;

  constructor(ws: WsSession, partner: string) {
    // The lines a partner's tell and gift put on this player's screen name the partner first:
    // "coast1 tells you, '...'", "coast1 gives you a brick of peat.". (A client granted the
    // `events` capability gets a structured `chat` for the tell besides; VUs read the lines.)
    ws.on('text', (m) => {
      if (m.text.startsWith(`${partner} `)) this.#add(m);
    });
  }

  #add(m: TextMessage): void {
    if (this.#waiter?.match(m)) {
      const { resolve } = this.#waiter;
      this.#waiter = undefined;
      resolve(m);
      return;
    }
    this.#kept.push(m);
    if (this.#kept.length > CAPACITY) this.#kept.shift();
  }

  /**
   * The first kept message that `match`es (removed from the inbox), else the next one to arrive
   * within `timeoutMs`; `undefined` when none came: the caller counts a failed check, and the
   * VU goes on instead of hanging on an absent partner.
   */
  take(match: (m: TextMessage) => boolean, timeoutMs: number): Promise<TextMessage | undefined> {
    const at = this.#kept.findIndex(match);
    if (at >= 0) return Promise.resolve(this.#kept.splice(at, 1)[0]);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        resolve(undefined);
      }, timeoutMs);
      this.#waiter = {
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
    });
  }
}
