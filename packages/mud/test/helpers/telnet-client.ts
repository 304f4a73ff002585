import { connect, type Socket } from 'node:net';
import { createInflate, type Inflate } from 'node:zlib';
import { IAC, SB, SE, TelnetDecoder } from '../../src/telnet/telnet-codec.js';
import { TelnetOption } from '../../src/telnet/telnet-options.js';

const MCCP2_START = Buffer.from([IAC, SB, TelnetOption.Compress2, IAC, SE]);

/**
 * A MUD client over a real socket, as a test needs one: it records the negotiation and
 * subnegotiation it is sent, inflates output after MCCP2 starts (with node:zlib, as a client
 * would), and waits, event-driven, for text. It answers nothing by itself: tests send the bytes.
 */
export class TelnetTestClient {
  readonly socket: Socket;
  /** Every text byte, decoded (after inflation), as UTF-8. */
  text = '';
  /** WILL/WONT/DO/DONT received, in order, as [verb, option]. */
  readonly negotiations: number[][] = [];
  /** Subnegotiations received, in order. */
  readonly subnegotiations: Array<{ option: number; payload: Buffer }> = [];
  /** Whether MCCP2 started, and how many compressed bytes arrived. */
  compressedBytes = -1;
  /**
   * How the zlib stream ended once the socket closed: `finished` (the server ended it properly),
   * or the inflater's error (a stream cut short).
   */
  compressionEnd: string | undefined;
  readonly closed: Promise<void>;
  #from = 0;
  #inflate: Inflate | undefined;
  /** The compressed bytes of the stream, to find where it ended (zlib stops there; raw bytes follow). */
  #compressed: Buffer[] = [];
  #wake: Array<() => void> = [];
  readonly #decoder = new TelnetDecoder({
    negotiate: (verb, option) => this.negotiations.push([verb, option]),
    subnegotiate: (option, payload) => this.subnegotiations.push({ option, payload: Buffer.from(payload) }),
  });

  constructor(port: number) {
    this.socket = connect({ port, host: '127.0.0.1' });
    this.socket.on('data', (chunk: Buffer) => this.#received(chunk));
    this.closed = new Promise((resolve) => this.socket.on('close', () => resolve()));
  }

  /** Sends raw bytes (negotiation). */
  send(bytes: number[]): void {
    this.socket.write(Uint8Array.from(bytes));
  }

  line(text: string): void {
    this.socket.write(`${text}\r\n`);
  }

  /** Sends a GMCP message. */
  gmcp(message: string, data?: unknown): void {
    const body = data === undefined ? message : `${message} ${JSON.stringify(data)}`;
    this.socket.write(
      Buffer.concat([Buffer.from([IAC, SB, TelnetOption.Gmcp]), Buffer.from(body), Buffer.from([IAC, SE])]),
    );
  }

  /** The GMCP messages received so far, parsed. */
  get gmcpMessages(): Array<{ message: string; data: unknown }> {
    return this.subnegotiations
      .filter((s) => s.option === TelnetOption.Gmcp)
      .map((s) => {
        const text = s.payload.toString('utf8');
        const space = text.indexOf(' ');
        return space < 0
          ? { message: text, data: undefined }
          : { message: text.slice(0, space), data: JSON.parse(text.slice(space + 1)) as unknown };
      });
  }

  /** Waits until the text after the last wait contains `part`; later waits start after it. */
  async waitFor(part: string): Promise<string> {
    return this.until(() => {
      const at = this.text.indexOf(part, this.#from);
      if (at < 0) return undefined;
      const seen = this.text.slice(this.#from, at + part.length);
      this.#from = at + part.length;
      return seen;
    }, `text "${part}"`);
  }

  /** Waits until `check` returns something. */
  async until<T>(check: () => T | undefined, what: string): Promise<T> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = check();
      if (found !== undefined) return found;
      if (Date.now() > deadline)
        throw new Error(`no ${what} in ${JSON.stringify(this.text.slice(this.#from))}`);
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

  #received(chunk: Buffer): void {
    if (this.#inflate !== undefined) {
      this.compressedBytes += chunk.length;
      this.#compressed.push(chunk);
      this.#inflate.write(chunk);
      return;
    }
    const start = chunk.indexOf(MCCP2_START);
    if (start < 0) {
      this.#decoded(chunk);
      return;
    }
    this.#decoded(chunk.subarray(0, start));
    this.compressedBytes = 0;
    const inflate = createInflate();
    inflate.on('data', (plain: Buffer) => this.#decoded(plain));
    inflate.on('error', (err) => this.#ended(err.message));
    inflate.on('end', () => {
      // The server ended the stream (a close, or the client's DONT COMPRESS2): what came after
      // its last byte is plain telnet again. (node:zlib says so once bytes follow the end, or
      // once it is ended itself.)
      this.#inflate = undefined;
      const rest = Buffer.concat(this.#compressed).subarray(inflate.bytesWritten);
      this.#compressed = [];
      this.#ended('finished');
      if (rest.length > 0) this.#received(rest);
    });
    this.socket.once('close', () => {
      if (this.#inflate === inflate) inflate.end();
    });
    this.#inflate = inflate;
    const rest = chunk.subarray(start + MCCP2_START.length);
    if (rest.length > 0) this.#received(rest);
  }

  #ended(how: string): void {
    this.compressionEnd ??= how;
    for (const w of this.#wake) w();
  }

  #decoded(bytes: Buffer): void {
    this.text += Buffer.from(this.#decoder.push(bytes)).toString('utf8');
    for (const w of this.#wake) w();
  }
}
