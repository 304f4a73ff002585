import type { ServerMessage } from '../messages.js';

/**
 * Encodes one server message as one JSON text, the payload of one WebSocket message. Plain
 * JSON.stringify: a hand-rolled serializer was not worth its risk for the ≤1.2x budget (see
 * benchmarks/src/protocol).
 */
export function encodeMessage(message: ServerMessage): string {
  return JSON.stringify(message);
}

/** Encodes several messages as JSON Lines, for clients that were granted batched frames. */
export function encodeLines(messages: readonly ServerMessage[]): string {
  let out = '';
  for (let i = 0; i < messages.length; i++) {
    if (i > 0) out += '\n';
    out += JSON.stringify(messages[i]);
  }
  return out;
}
