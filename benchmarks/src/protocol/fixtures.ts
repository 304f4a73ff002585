import type { ServerMessage } from '@leviathan/protocol';

/**
 * Client lines as a MUD client and the load generator send them, most frequent first: one of
 * every client message type.
 */
export const CLIENT_LINES = {
  cmd: '{"type":"cmd","id":1842,"line":"say hello everyone, the dragon is near the north gate"}',
  auth: '{"type":"auth","username":"player1","token":"test-token"}',
  action: '{"type":"action","id":"a-77","name":"move","args":{"to":"north","run":true,"steps":3}}',
  ping: '{"type":"ping","t":1732612345678,"id":9}',
  // As the web client registers (packages/engine/web/connection.js) and quits.
  register:
    '{"type":"register","username":"Vera","password":"tide-pool-77","capabilities":["events","batch"]}',
  quit: '{"type":"quit","id":3}',
} as const;

/**
 * Lines the server refuses, one per kind of mistake, each with the error code it must give: what
 * a buggy client sends, or a hostile one sends over and over.
 */
export const REJECTED_LINES = {
  'unknown field': {
    line: '{"type":"cmd","id":1842,"line":"say hello everyone","admin":true}',
    code: 'LEV_ERR_PROTOCOL_UNKNOWN_FIELD',
  },
  'wrong type': {
    line: '{"type":"ping","t":"1732612345678","id":9}',
    code: 'LEV_ERR_PROTOCOL_INVALID_FIELD',
  },
  'unknown type': {
    line: '{"type":"teleport","id":1843,"to":"the north gate"}',
    code: 'LEV_ERR_PROTOCOL_UNKNOWN_TYPE',
  },
  'missing field': {
    line: '{"type":"action","id":1844,"args":{"to":"north"}}',
    code: 'LEV_ERR_PROTOCOL_MISSING_FIELD',
  },
  'invalid JSON': {
    line: '{"type":"cmd","id":1845,"line":"say hello everyone"',
    code: 'LEV_ERR_PROTOCOL_INVALID_JSON',
  },
} as const;

/** Server messages of the kinds a tick sends most. */
export const SERVER_MESSAGES: Record<string, ServerMessage> = {
  reply: {
    type: 'reply',
    re: 1842,
    ok: true,
    text: 'You say, "hello everyone, the dragon is near the north gate"',
  },
  chat: {
    type: 'chat',
    channel: 'say',
    from: 'player1',
    text: 'hello everyone, the dragon is near the north gate',
  },
  room: {
    type: 'room',
    id: 'r-104',
    zone: 'town',
    title: 'The North Gate',
    description: 'A heavy oak gate stands open. Guards watch the road that winds into the hills.',
    exits: [
      { direction: 'north', to: 'Hill Road' },
      { direction: 'south', to: 'Market Square' },
    ],
    occupants: [
      { name: 'player1', kind: 'player' },
      { name: 'Gate Guard', kind: 'npc' },
    ],
    items: [{ id: 'i-9', name: 'a rusty lantern' }],
  },
  pong: { type: 'pong', t: 1732612345678, re: 9 },
};

/**
 * A byte stream of JSON lines, as a TCP client would send: the client lines repeated, with CRLF
 * on every fourth line and some non-ASCII text, about `targetBytes` long.
 */
export function makeStream(targetBytes: number): Buffer {
  // The four lines this stream was first measured with (more types would change its figures).
  const lines = [
    CLIENT_LINES.cmd,
    CLIENT_LINES.auth,
    CLIENT_LINES.action,
    CLIENT_LINES.ping,
    '{"type":"cmd","id":5,"line":"say grüße aus München, 東京 😀"}',
  ];
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < targetBytes; i++) {
    const line = `${lines[i % lines.length]}${i % 4 === 3 ? '\r\n' : '\n'}`;
    parts.push(line);
    size += Buffer.byteLength(line);
  }
  return Buffer.from(parts.join(''));
}

/** Cuts a stream into chunks of `size` bytes, as a socket delivers it (lines straddle chunks). */
export function chunk(stream: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < stream.length; i += size) chunks.push(stream.subarray(i, i + size));
  return chunks;
}
