import type { ServerMessage } from '../messages.js';

/**
 * Parses a WebSocket message from the server into its messages (one, or several lines when batched
 * frames were granted). For clients: trusts the server, checks only that each line is an object
 * with a string `type`, and throws a SyntaxError otherwise.
 */
export function parseServerFrame(text: string): ServerMessage[] {
  if (text.indexOf('\n') === -1) return [parseOne(text)];
  const out: ServerMessage[] = [];
  for (const line of text.split('\n')) if (line.length > 0) out.push(parseOne(line));
  return out;
}

function parseOne(line: string): ServerMessage {
  const value: unknown = JSON.parse(line);
  if (value === null || typeof value !== 'object' || typeof (value as { type?: unknown }).type !== 'string') {
    throw new SyntaxError('server message is not an object with a string "type"');
  }
  return value as ServerMessage;
}
