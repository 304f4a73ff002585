import { createHash } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { type ConnectionOwner, WsConnection } from '../src/client/ws-connection.js';
import { encodeFrame, FrameError, FrameReader, type FrameSink, OPCODE } from '../src/client/ws-frames.js';

/** What a connection's owner heard. */
class Heard implements ConnectionOwner {
  readonly messages: string[] = [];
  closed: { code: number; reason: string } | undefined;
  #waiters: (() => void)[] = [];
  onConnectionMessage(text: string): void {
    this.messages.push(text);
    this.#wake();
  }
  onConnectionClose(code: number, reason: string): void {
    this.closed = { code, reason };
    this.#wake();
  }
  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }
  async until(done: () => boolean): Promise<void> {
    while (!done()) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A real `ws` server; `onConnection` gets each server-side socket. */
async function wsServer(onConnection: (ws: WebSocket) => void): Promise<string> {
  const http = createHttpServer();
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', onConnection);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    for (const c of wss.clients) c.terminate();
    wss.close();
    http.close();
  });
  return `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`;
}

/**
 * A TCP server that answers the upgrade itself and then writes `bytes` (crafted frames), for what
 * a well-behaved server never sends. `accept` overrides the Sec-WebSocket-Accept it answers with.
 */
async function craftedServer(
  bytes: (socket: Socket) => void,
  accept?: string,
): Promise<{ url: string; received: Buffer[] }> {
  const received: Buffer[] = [];
  const server: Server = createServer((socket) => {
    let head = '';
    let upgraded = false;
    socket.on('data', (chunk) => {
      if (upgraded) {
        received.push(chunk);
        return;
      }
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      upgraded = true;
      const key = /sec-websocket-key: (.+)\r\n/i.exec(head)?.[1] ?? '';
      const proof =
        accept ?? createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${proof}\r\n\r\n`,
      );
      bytes(socket);
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => server.close());
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`, received };
}

/** An unmasked server text frame. */
function serverText(text: string, { fin = true, opcode = 1 } = {}): Buffer {
  const payload = Buffer.from(text);
  if (payload.length >= 126) throw new Error('small frames only');
  return Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | opcode, payload.length]), payload]);
}

async function open(url: string): Promise<{ connection: WsConnection; heard: Heard }> {
  const connection = await WsConnection.connect(url, { timeoutMs: 5000 });
  const heard = new Heard();
  connection.attach(heard);
  cleanups.push(() => connection.terminate());
  return { connection, heard };
}

describe('WsConnection against a real ws server', () => {
  it('sends masked text that the server reads intact, and reads messages of every length class', async () => {
    const got: string[] = [];
    const long = 'x'.repeat(70_000);
    const url = await wsServer((ws) =>
      ws.on('message', (data) => {
        got.push(String(data));
        ws.send(`echo ${String(data)}`);
        if (got.length === 1) ws.send('m'.repeat(300));
        if (got.length === 1) ws.send(long);
      }),
    );
    const { connection, heard } = await open(url);
    connection.send('héllo ✓ {"type":"cmd"}');
    await heard.until(() => heard.messages.length === 3);
    expect(got).toEqual(['héllo ✓ {"type":"cmd"}']);
    expect(heard.messages).toEqual(['echo héllo ✓ {"type":"cmd"}', 'm'.repeat(300), long]);
  });

  it('sends ASCII and UTF-8 texts of every length class that the server reads intact', async () => {
    const texts = [
      '',
      'look',
      'x'.repeat(125),
      'x'.repeat(126),
      `${'x'.repeat(124)}é`,
      `✓${'y'.repeat(200)}`,
    ];
    const got: string[] = [];
    const url = await wsServer((ws) =>
      ws.on('message', (data) => {
        got.push(String(data));
        if (got.length === texts.length) ws.send('all read');
      }),
    );
    const { connection, heard } = await open(url);
    for (const text of texts) connection.send(text);
    await heard.until(() => heard.messages.length === 1);
    expect(got).toEqual(texts);
  });

  it('joins a fragmented message and answers pings with their payload', async () => {
    const pongs: string[] = [];
    const url = await wsServer((ws) => {
      ws.on('pong', (data) => pongs.push(String(data)));
      ws.send('part one, ', { fin: false });
      ws.ping('are you there');
      ws.send('part two', { fin: true });
    });
    const { heard } = await open(url);
    await heard.until(() => heard.messages.length === 1);
    // The pong is heard by the server, not the owner: wait for it there.
    while (pongs.length === 0) await new Promise<void>((resolve) => setTimeout(resolve, 5));
    expect(heard.messages).toEqual(['part one, part two']);
    expect(pongs).toEqual(['are you there']);
  });

  it('closes with a handshake either way, each side hearing the other code', async () => {
    const serverHeard: { code: number; reason: string }[] = [];
    const url = await wsServer((ws) => {
      ws.on('close', (code, reason) => serverHeard.push({ code, reason: String(reason) }));
      ws.on('message', (data) => {
        if (String(data) === 'close me') ws.close(4001, 'as you asked');
      });
    });
    const first = await open(url);
    first.connection.close(4000, 'bye');
    expect(first.connection.open).toBe(false);
    expect(first.connection.send('too late')).toBe(false);
    await first.heard.until(() => first.heard.closed !== undefined);
    expect(first.heard.closed?.code).toBe(4000);
    const second = await open(url);
    second.connection.send('close me');
    await second.heard.until(() => second.heard.closed !== undefined);
    expect(second.heard.closed).toEqual({ code: 4001, reason: 'as you asked' });
    await new Promise<void>((resolve) => setTimeout(resolve, 50));
    expect(serverHeard).toContainEqual({ code: 4000, reason: 'bye' });
    // Our answer to its close echoes the code (RFC 6455 §5.5.1).
    expect(serverHeard.map((c) => c.code)).toContain(4001);
  });

  it('reports 1006 when the socket drops without a close frame', async () => {
    const url = await wsServer((ws) => ws.on('message', () => ws.terminate()));
    const { connection, heard } = await open(url);
    connection.send('anything');
    await heard.until(() => heard.closed !== undefined);
    expect(heard.closed?.code).toBe(1006);
  });
});

describe('WsConnection against crafted frames', () => {
  it('reads frames that arrive a byte at a time, and a frame sent with the upgrade answer', async () => {
    const { url } = await craftedServer((socket) => {
      socket.write(serverText('with the answer'));
      const bytes = Buffer.concat([serverText('one '), serverText('byte at a time')]);
      let i = 0;
      const drip = setInterval(() => {
        if (i >= bytes.length) clearInterval(drip);
        else socket.write(bytes.subarray(i, ++i));
      }, 1);
    });
    const { heard } = await open(url);
    await heard.until(() => heard.messages.length === 3);
    expect(heard.messages).toEqual(['with the answer', 'one ', 'byte at a time']);
  });

  it.each([
    ['a masked server frame', Buffer.from([0x81, 0x81, 1, 2, 3, 4, 0x41]), 1002, /masked/],
    ['a reserved bit', Buffer.from([0xc1, 0x01, 0x41]), 1002, /reserved bits/],
    ['an unknown opcode', Buffer.from([0x83, 0x00]), 1002, /unknown opcode 3/],
    ['a continuation of nothing', Buffer.from([0x80, 0x01, 0x41]), 1002, /continuation/],
  ])('closes on %s with a clear code and reason, telling the server', async (_what, frame, code, reason) => {
    const server = await craftedServer((socket) => socket.write(frame));
    const { heard } = await open(server.url);
    await heard.until(() => heard.closed !== undefined);
    expect(heard.closed?.code).toBe(code);
    expect(heard.closed?.reason).toMatch(reason);
    // The close frame it sent names the code (masked: byte 2 of the payload is the code's high byte).
    await new Promise<void>((resolve) => setTimeout(resolve, 50));
    const sent = Buffer.concat(server.received);
    expect(sent[0]).toBe(0x88);
    const key = sent.subarray(2, 6);
    expect(
      (((sent[6] as number) ^ (key[0] as number)) << 8) | ((sent[7] as number) ^ (key[1] as number)),
    ).toBe(code);
  });

  it('refuses an upgrade whose Sec-WebSocket-Accept is wrong, and an HTTP answer that is not one', async () => {
    const wrong = await craftedServer(() => {}, 'bm90IHRoZSByaWdodCBrZXk=');
    await expect(WsConnection.connect(wrong.url, { timeoutMs: 5000 })).rejects.toThrow(
      /Sec-WebSocket-Accept/,
    );
    const http = createHttpServer((_req, res) => res.writeHead(404).end('no such page'));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => http.close());
    const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`;
    await expect(WsConnection.connect(url, { timeoutMs: 5000 })).rejects.toThrow(
      'HTTP 404 instead of an upgrade',
    );
    await expect(WsConnection.connect('not a url', { timeoutMs: 5000 })).rejects.toThrow(
      /WebSocket URL|not a URL/,
    );
    await expect(WsConnection.connect('ftp://127.0.0.1/', { timeoutMs: 5000 })).rejects.toThrow(
      'not a WebSocket URL (ws:// or wss://): ftp://127.0.0.1/',
    );
  });
});

describe('FrameReader', () => {
  const sink = (): FrameSink & { messages: string[] } => {
    const messages: string[] = [];
    return {
      messages,
      onFrameMessage: (text) => messages.push(text),
      onFrameClose: () => {},
      onFramePing: () => {},
    };
  };

  it('refuses a message over its limit, declared in a 64-bit length or reached by fragments', () => {
    const reader = new FrameReader(10);
    const big = Buffer.from([0x81, 127, 0, 0, 0, 0, 0, 0, 0, 11]);
    expect(() => reader.push(big, sink())).toThrow(FrameError);
    const fragments = new FrameReader(10);
    const s = sink();
    fragments.push(serverText('123456', { fin: false }), s);
    expect(() => fragments.push(serverText('78901', { fin: true, opcode: 0 }), s)).toThrow(
      expect.objectContaining({ code: 1009 }),
    );
  });

  it('reads a 16-bit length split inside its header', () => {
    const reader = new FrameReader(1_000_000);
    const payload = 'y'.repeat(200);
    const frame = Buffer.concat([Buffer.from([0x81, 126, 0, 200]), Buffer.from(payload)]);
    const s = sink();
    reader.push(frame.subarray(0, 3), s);
    expect(s.messages).toEqual([]);
    reader.push(frame.subarray(3), s);
    expect(s.messages).toEqual([payload]);
  });
});

describe('encodeFrame', () => {
  /** The frame's opcode, whether it is masked, and its payload unmasked. */
  function decode(frame: Buffer): { opcode: number; masked: boolean; text: string } {
    let length = (frame[1] as number) & 0x7f;
    let at = 2;
    if (length === 126) {
      length = frame.readUInt16BE(2);
      at = 4;
    } else if (length === 127) {
      length = Number(frame.readBigUInt64BE(2));
      at = 10;
    }
    const key = frame.subarray(at, at + 4);
    const payload = Buffer.from(frame.subarray(at + 4));
    expect(payload.length).toBe(length);
    for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] as number) ^ (key[i & 3] as number);
    return {
      opcode: (frame[0] as number) & 0x0f,
      masked: ((frame[1] as number) & 0x80) !== 0,
      text: payload.toString('utf8'),
    };
  }

  it('encodes short ASCII, non-ASCII at any place and every length class alike', () => {
    const texts = [
      '',
      'a',
      '{"type":"cmd","line":"look","id":1}',
      'x'.repeat(125),
      'x'.repeat(126),
      `${'x'.repeat(124)}é`,
      `é${'x'.repeat(10)}`,
      `${'x'.repeat(5)}✓${'y'.repeat(5)}`,
      'z'.repeat(70_000),
    ];
    for (const text of texts) {
      const frame = encodeFrame(OPCODE.text, text);
      expect(frame[0]).toBe(0x80 | OPCODE.text);
      expect(decode(frame)).toEqual({ opcode: OPCODE.text, masked: true, text });
    }
  });

  it('masks each frame with a fresh key', () => {
    const keys = new Set<string>();
    for (let i = 0; i < 100; i++) keys.add(encodeFrame(OPCODE.text, 'look').subarray(2, 6).toString('hex'));
    expect(keys.size).toBeGreaterThan(90);
  });
});
