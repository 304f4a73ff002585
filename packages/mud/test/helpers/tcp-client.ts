import { connect, type Socket } from 'node:net';

/** A raw TCP client that keeps every byte and waits, event-driven, for what it expects. */
export class TcpClient {
  bytes = Buffer.alloc(0);
  #from = 0;
  readonly socket: Socket;
  readonly closed: Promise<void>;
  #wake: Array<() => void> = [];

  /** @param localAddress the loopback address to connect from (127.0.0.0/8), to look like another host. */
  constructor(port: number, localAddress?: string) {
    this.socket = connect({ port, host: '127.0.0.1', ...(localAddress ? { localAddress } : {}) });
    this.socket.on('data', (d) => {
      this.bytes = Buffer.concat([this.bytes, d]);
      for (const w of this.#wake) w();
    });
    this.closed = new Promise((resolve) => this.socket.on('close', () => resolve()));
  }

  get text(): string {
    return this.bytes.toString('latin1');
  }

  /** Waits until the output after the last wait contains `part`; later waits start after it. */
  async waitFor(part: string): Promise<string> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const at = this.text.indexOf(part, this.#from);
      if (at >= 0) {
        const seen = this.text.slice(this.#from, at + part.length);
        this.#from = at + part.length;
        return seen;
      }
      if (Date.now() > deadline)
        throw new Error(`no "${part}" in ${JSON.stringify(this.text.slice(this.#from))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 1000);
        this.#wake.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
      this.#wake = [];
    }
  }

  line(text: string): void {
    this.socket.write(`${text}\r\n`);
  }
}
