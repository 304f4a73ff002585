import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../messages.js';
import { parseServerFrame } from './decode-server.js';
import { encodeLines, encodeMessage } from './encode.js';

const MESSAGES: ServerMessage[] = [
  { type: 'auth-ok', version: 1, username: 'player1', session: 's1', capabilities: [], serverTime: 1 },
  { type: 'reply', re: 1, ok: true, text: 'You see a door.\nIt is closed.' },
  { type: 'text', text: 'line\u2028sep', channel: 'system' },
  { type: 'pong', t: 5, re: 'p' },
];

describe('encode', () => {
  it('encodes one message per frame that JSON.parse reads back (the seed k6 check)', () => {
    const frame = encodeMessage(MESSAGES[0] as ServerMessage);
    expect(JSON.parse(frame).type).toBe('auth-ok');
    expect(frame).not.toContain('\n');
  });

  it('never puts a raw newline inside a line: text with newlines stays one line', () => {
    for (const m of MESSAGES) expect(encodeMessage(m)).not.toMatch(/[\n\r]/);
  });

  it('batches as JSON lines that parseServerFrame splits back', () => {
    const batch = encodeLines(MESSAGES);
    expect(batch.split('\n')).toHaveLength(MESSAGES.length);
    expect(parseServerFrame(batch)).toEqual(MESSAGES);
    expect(encodeLines([])).toBe('');
  });

  it('parseServerFrame tolerates CRLF and blank lines and throws on a non-message', () => {
    expect(parseServerFrame('{"type":"pong"}\r\n\n{"type":"bye","code":1000,"reason":"bye"}\n')).toEqual([
      { type: 'pong' },
      { type: 'bye', code: 1000, reason: 'bye' },
    ]);
    expect(() => parseServerFrame('[1]')).toThrow(SyntaxError);
    expect(() => parseServerFrame('{"type":')).toThrow(SyntaxError);
  });
});
