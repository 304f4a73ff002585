import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * A minimal WebSocket client over a raw TCP socket (RFC 6455 handshake and masked text frames),
 * for tests that need control below `ws`: it can stop reading entirely (`pause()`), so the
 * server's data piles up in the kernel buffers and then in the gateway.
 */
export class RawWsClient {
  readonly socket: Socket;
  bytesRead = 0;
  ended = false;
  /** Everything read after the handshake (frames unparsed). */
  readonly chunks: Buffer[] = [];
  readonly #closed: Promise<void>;

  private constructor(socket: Socket) {
    this.socket = socket;
    this.#closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
  }

  static async connect(port: number, path = '/ws'): Promise<RawWsClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    const key = randomBytes(16).toString('base64');
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    let head = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        head += chunk.toString('latin1');
        if (head.includes('\r\n\r\n')) {
          socket.off('data', onData);
          if (!head.startsWith('HTTP/1.1 101'))
            reject(new Error(`handshake refused: ${head.split('\r\n')[0]}`));
          else resolve();
        }
      };
      socket.on('data', onData);
    });
    const client = new RawWsClient(socket);
    socket.on('data', (chunk: Buffer) => {
      client.bytesRead += chunk.length;
      client.chunks.push(chunk);
    });
    socket.on('end', () => {
      client.ended = true;
    });
    return client;
  }

  /** Sends one masked text frame. */
  sendText(text: string): void {
    const payload = Buffer.from(text);
    const mask = randomBytes(4);
    let header: Buffer;
    if (payload.length < 126) {
      header = Buffer.from([0x81, 0x80 | payload.length]);
    } else if (payload.length < 65536) {
      header = Buffer.alloc(4);
      header[0] = 0x81;
      header[1] = 0x80 | 126;
      header.writeUInt16BE(payload.length, 2);
    } else {
      header = Buffer.alloc(10);
      header[0] = 0x81;
      header[1] = 0x80 | 127;
      header.writeBigUInt64BE(BigInt(payload.length), 2);
    }
    for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ mask[i % 4]!;
    this.socket.write(Buffer.concat([header, mask, payload]));
  }

  /** Whether the bytes read so far contain `text` (frames are small and unmasked from a server). */
  received(text: string): boolean {
    return Buffer.concat(this.chunks).includes(text);
  }

  /** Stops reading from the socket: the kernel's receive buffer fills, then the server's. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /** Resolves when the TCP connection is closed (after reading whatever was still queued). */
  closed(): Promise<void> {
    return this.#closed;
  }
}
