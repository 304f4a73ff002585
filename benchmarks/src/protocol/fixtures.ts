import type { ServerMessage } from '@leviathan/protocol';

/** Client lines as a MUD client and the load generator send them, most frequent first. */
export const CLIENT_LINES = {
  cmd: '{"type":"cmd","id":1842,"line":"say hello everyone, the dragon is near the north gate"}',
  auth: '{"type":"auth","username":"player1","token":"test-token"}',
  action: '{"type":"action","id":"a-77","name":"move","args":{"to":"north","run":true,"steps":3}}',
  ping: '{"type":"ping","t":1732612345678,"id":9}',
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
  const lines = [
    ...Object.values(CLIENT_LINES),
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
