import type { ErrorMessage, ReplyMessage } from '@leviathan/protocol';

/** What `ws.command` resolves with. */
export type Answer = ReplyMessage | ErrorMessage;

/** The command was carried out (a `reply` with `ok`; a refusal is `ok: false`, a fault an `error`). */
export function done(m: Answer): boolean {
  return m.type === 'reply' && m.ok;
}

/** The answer's text, whichever kind of answer it is. */
export function answerText(m: Answer): string {
  return m.type === 'reply' ? (m.text ?? '') : m.message;
}
