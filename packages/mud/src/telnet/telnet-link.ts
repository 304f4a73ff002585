import type { Socket } from 'node:net';
import { constants, createDeflate, type Deflate } from 'node:zlib';
import type { JsonValue } from '@leviathan/protocol';
import { decodeGmcp, encodeGmcp, GmcpSupports } from './gmcp.js';
import { encodeMssp } from './mssp.js';
import { IAC, SB, SE, TelnetDecoder } from './telnet-codec.js';
import { OptionTable, type Party, TelnetOption } from './telnet-options.js';

export interface TelnetLinkOptions {
  /** Columns to wrap at when the client does not report its width (NAWS); 0 for none. */
  wrap: number;
  /** The MSSP variables, asked for each time a client (a MUD listing's crawler) asks. */
  mssp: () => Record<string, string | number | readonly (string | number)[]>;
}

/** Narrowest and widest NAWS widths taken as they are; 0 (unknown) and others are clamped. */
const MIN_WIDTH = 20;
const MAX_WIDTH = 400;

/**
 * The telnet layer of one TCP connection: option negotiation (RFC 1143, in OptionTable), the
 * client's window width (NAWS), GMCP, MSSP and MCCP2 compression of everything written. The
 * session above it sees lines of text in and writes text out, whatever the client negotiated.
 */
export class TelnetLink {
  readonly #socket: Socket;
  readonly #options: TelnetLinkOptions;
  readonly #table: OptionTable;
  readonly decoder: TelnetDecoder;
  readonly #supports = new GmcpSupports();
  /** The zlib stream of MCCP2 while it is on; everything written goes through it. */
  #deflate: Deflate | undefined;
  #width = 0;
  #offered = false;
  #ending = false;
  /** The player's `colour on|off`, or undefined to follow whether the client speaks telnet. */
  colourChoice: boolean | undefined;
  /** The client's name from GMCP Core.Hello, where it sent one. */
  client: string | undefined;
  /** Called when GMCP comes on, so the session can send what a client shows from the start. */
  onGmcpReady: () => void = () => {};

  constructor(socket: Socket, options: TelnetLinkOptions) {
    this.#socket = socket;
    this.#options = options;
    this.#table = new OptionTable(
      [TelnetOption.SuppressGoAhead, TelnetOption.Mssp, TelnetOption.Gmcp, TelnetOption.Compress2],
      [TelnetOption.Naws],
      {
        send: (verb, option) => this.write(Uint8Array.from([IAC, verb, option])),
        changed: (party, option, enabled) => this.#changed(party, option, enabled),
      },
    );
    this.decoder = new TelnetDecoder({
      negotiate: (verb, option) => this.#table.received(verb, option),
      subnegotiate: (option, payload) => this.#subnegotiation(option, payload),
    });
    socket.once('close', () => this.#deflate?.destroy());
  }

  /** Whether the client ever sent IAC: a telnet client rather than netcat or a bot. */
  get speaksTelnet(): boolean {
    return this.decoder.sawIac;
  }

  /** Columns to wrap text at: two short of the client's window (NAWS), else the default. */
  get wrap(): number {
    return this.#width > 0 ? this.#width - 2 : this.#options.wrap;
  }

  /** Whether text gets ANSI colour: the player's choice, else on for a telnet client. */
  get colour(): boolean {
    return this.colourChoice ?? this.speaksTelnet;
  }

  get compressing(): boolean {
    return this.#deflate !== undefined;
  }

  /**
   * Offers what the server supports: WILL MSSP, GMCP, COMPRESS2 and DO NAWS. Sent once, when the
   * session greets a line-mode client, never to a JSON-lines bot that spoke first; a client that
   * knows none of them refuses (plain telnet) or ignores them, and netcat shows a few odd bytes
   * once, as with every MUD.
   */
  offer(): void {
    if (this.#offered) return;
    this.#offered = true;
    this.#table.request('us', TelnetOption.Mssp, true);
    this.#table.request('us', TelnetOption.Gmcp, true);
    this.#table.request('us', TelnetOption.Compress2, true);
    this.#table.request('him', TelnetOption.Naws, true);
  }

  /** Server echo on (the client hides typing: a password) or off again; with SGA, as clients expect. */
  echo(on: boolean): void {
    if (on) this.#table.request('us', TelnetOption.SuppressGoAhead, true);
    this.#table.request('us', TelnetOption.Echo, on);
  }

  /** Sends a GMCP message when the client enabled GMCP and did not leave its package out. */
  gmcp(message: string, data?: JsonValue): void {
    if (this.#table.enabled('us', TelnetOption.Gmcp) && this.#supports.has(message))
      this.write(encodeGmcp(message, data));
  }

  /** Writes bytes, compressed while MCCP2 is on; false when the socket asks the writer to wait. */
  write(bytes: Uint8Array): boolean {
    if (this.#socket.destroyed || !this.#socket.writable || this.#ending) return false;
    const deflate = this.#deflate;
    if (deflate === undefined) return this.#socket.write(bytes);
    // A sync flush per write: the client inflates and shows each line at once (MCCP's own advice).
    deflate.write(bytes);
    deflate.flush(constants.Z_SYNC_FLUSH);
    return !this.#socket.writableNeedDrain;
  }

  /** Ends the connection after what was written: the zlib stream is finished first, if there is one. */
  end(): void {
    if (this.#ending) return;
    this.#ending = true;
    const deflate = this.#deflate;
    if (deflate === undefined || this.#socket.destroyed) {
      if (!this.#socket.destroyed) this.#socket.destroySoon();
      return;
    }
    deflate.once('end', () => this.#socket.destroySoon());
    deflate.end();
  }

  #changed(party: Party, option: number, enabled: boolean): void {
    if (party === 'him') {
      if (option === TelnetOption.Naws && !enabled) this.#width = 0;
      return;
    }
    if (option === TelnetOption.Mssp && enabled) this.write(encodeMssp(this.#options.mssp()));
    else if (option === TelnetOption.Gmcp && enabled) this.onGmcpReady();
    else if (option === TelnetOption.Compress2) {
      if (enabled) this.#startCompression();
      else this.#stopCompression();
    }
  }

  /** MCCP2: IAC SB COMPRESS2 IAC SE, uncompressed, then every byte after it in one zlib stream. */
  #startCompression(): void {
    if (this.#deflate !== undefined || this.#socket.destroyed) return;
    this.#socket.write(Uint8Array.from([IAC, SB, TelnetOption.Compress2, IAC, SE]));
    const deflate = createDeflate();
    deflate.on('data', (chunk: Buffer) => {
      if (!this.#socket.destroyed && this.#socket.writable) this.#socket.write(chunk);
    });
    deflate.on('error', () => this.#socket.destroy());
    this.#deflate = deflate;
  }

  /** A client that turns MCCP2 off (DONT): the stream is finished, and what follows is plain. */
  #stopCompression(): void {
    const deflate = this.#deflate;
    this.#deflate = undefined;
    deflate?.end();
  }

  #subnegotiation(option: number, payload: Uint8Array): void {
    if (option === TelnetOption.Naws && this.#table.enabled('him', TelnetOption.Naws)) {
      if (payload.length !== 4) return; // not a window size: dropped
      const width = (payload[0]! << 8) | payload[1]!;
      this.#width = width === 0 ? 0 : Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width));
    } else if (option === TelnetOption.Gmcp && this.#table.enabled('us', TelnetOption.Gmcp)) {
      const message = decodeGmcp(payload);
      if (message === undefined) return; // not GMCP: dropped, as the spec asks of bad input
      if (this.#supports.receive(message.message, message.data)) return;
      const name = message.message.toLowerCase();
      if (name === 'core.hello' && typeof message.data === 'object' && message.data !== null) {
        const client = (message.data as { client?: unknown }).client;
        if (typeof client === 'string') this.client = client.slice(0, 64);
      } else if (name === 'core.ping') this.gmcp('Core.Ping');
    }
  }
}
