import { visibleLength } from './ansi.js';

/**
 * Telnet (RFC 854) byte parsing for a line-mode server: separates text from commands, option
 * negotiation and subnegotiation, which it hands to a `TelnetCommands` (the option table decides
 * the answers). Text passes through untouched, so raw TCP clients (netcat, bots) that never send
 * IAC see plain bytes.
 */
export const IAC = 0xff;
export const DONT = 0xfe;
export const DO = 0xfd;
export const WONT = 0xfc;
export const WILL = 0xfb;
export const SB = 0xfa;
export const SE = 0xf0;
/** Option ECHO (RFC 857): a server WILL ECHO to hide a password as it is typed. */
export const ECHO = 0x01;
/** Option SUPPRESS-GO-AHEAD (RFC 858): accepted with ECHO, as every MUD client expects. */
export const SGA = 0x03;

/** Where the decoder sends what is not text. */
export interface TelnetCommands {
  /** WILL, WONT, DO or DONT `option`. */
  negotiate(verb: number, option: number): void;
  /** A complete IAC SB option ... IAC SE, IAC IAC unescaped; never larger than the cap. */
  subnegotiate(option: number, payload: Uint8Array): void;
}

const NO_COMMANDS: TelnetCommands = { negotiate() {}, subnegotiate() {} };

enum State {
  Data,
  Iac,
  Option,
  SubOption,
  Sub,
  SubIac,
  Cr,
}

/**
 * Longest subnegotiation payload kept, in bytes: a larger one (a GMCP message no client needs to
 * send, or garbage) is read to its end and dropped, so a client cannot grow a buffer without bound.
 * @default 8192
 */
export const DEFAULT_MAX_SUBNEGOTIATION = 8192;

/** Stateful across chunks: a command may be split between two TCP reads. */
export class TelnetDecoder {
  #state = State.Data;
  #verb = 0;
  #subOption = 0;
  #sub: number[] = [];
  #subTooLong = false;
  readonly #commands: TelnetCommands;
  readonly #maxSub: number;
  /** Whether the peer ever sent IAC: it is a telnet client, so negotiation bytes are safe to send. */
  sawIac = false;

  constructor(commands: TelnetCommands = NO_COMMANDS, maxSubnegotiation = DEFAULT_MAX_SUBNEGOTIATION) {
    this.#commands = commands;
    this.#maxSub = maxSubnegotiation;
  }

  /** Decodes a chunk: returns its data bytes; commands go to the handler as they complete. */
  push(chunk: Uint8Array): Uint8Array {
    const data = new Uint8Array(chunk.length);
    let n = 0;
    for (const b of chunk) {
      switch (this.#state) {
        case State.Data:
          if (b === IAC) {
            this.#state = State.Iac;
            this.sawIac = true;
          } else if (b === 0x0d) {
            data[n++] = 0x0a; // CR LF, CR NUL and a bare CR all end a line
            this.#state = State.Cr;
          } else data[n++] = b;
          break;
        case State.Cr:
          this.#state = State.Data;
          if (b === 0x0a || b === 0x00) break;
          if (b === IAC) {
            this.#state = State.Iac;
            this.sawIac = true;
          } else if (b === 0x0d) {
            data[n++] = 0x0a;
            this.#state = State.Cr;
          } else data[n++] = b;
          break;
        case State.Iac:
          this.#command(b, data, n);
          if (b === IAC) n++;
          break;
        case State.Option:
          this.#state = State.Data;
          this.#commands.negotiate(this.#verb, b);
          break;
        case State.SubOption:
          this.#subOption = b;
          this.#sub = [];
          this.#subTooLong = false;
          this.#state = State.Sub;
          break;
        case State.Sub:
          if (b === IAC) this.#state = State.SubIac;
          else this.#subByte(b);
          break;
        case State.SubIac:
          if (b === IAC) {
            this.#subByte(IAC);
            this.#state = State.Sub;
          } else if (b === SE) {
            this.#state = State.Data;
            if (!this.#subTooLong) this.#commands.subnegotiate(this.#subOption, Uint8Array.from(this.#sub));
            this.#sub = [];
          } else {
            // IAC and a command inside a subnegotiation: a broken one. Drop it and take the command.
            this.#sub = [];
            this.#command(b, data, n);
            if (b === IAC) n++;
          }
          break;
      }
    }
    return data.subarray(0, n);
  }

  /** The byte after an IAC; an escaped 0xFF is written to `data[n]` (the caller counts it). */
  #command(b: number, data: Uint8Array, n: number): void {
    if (b === IAC) {
      data[n] = IAC;
      this.#state = State.Data;
    } else if (b === WILL || b === WONT || b === DO || b === DONT) {
      this.#verb = b;
      this.#state = State.Option;
    } else if (b === SB) this.#state = State.SubOption;
    else this.#state = State.Data; // NOP, GA, AYT, ...: nothing to do in line mode
  }

  #subByte(b: number): void {
    if (this.#sub.length >= this.#maxSub) {
      this.#subTooLong = true;
      this.#sub = [];
    }
    if (!this.#subTooLong) this.#sub.push(b);
  }
}

/** Text for a line-mode client: CR LF line ends (RFC 854 NVT) and any 0xFF doubled. */
export function encodeTelnetText(text: string): Buffer {
  const bytes = Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8');
  if (!bytes.includes(IAC)) return bytes;
  const out: number[] = [];
  for (const b of bytes) {
    out.push(b);
    if (b === IAC) out.push(IAC);
  }
  return Buffer.from(out);
}

/**
 * Word-wraps text to `width` columns, keeping existing line breaks; words longer than a line are
 * left whole. 0 turns wrapping off. Widths are visible widths: ANSI colour codes count nothing, and
 * since they hold no space they always stay whole, inside the word they colour.
 */
export function wordWrap(text: string, width: number): string {
  if (width <= 0) return text;
  return text
    .split('\n')
    .map((line) => {
      if (visibleLength(line) <= width) return line;
      const indent = /^\s*/.exec(line)![0];
      const out: string[] = [];
      let current = '';
      let currentWidth = 0;
      for (const word of line.trim().split(/\s+/)) {
        const wordWidth = visibleLength(word);
        if (current && currentWidth + 1 + wordWidth > width) {
          out.push(current);
          current = indent + word;
          currentWidth = indent.length + wordWidth;
        } else if (current) {
          current = `${current} ${word}`;
          currentWidth += 1 + wordWidth;
        } else {
          current = indent + word;
          currentWidth = indent.length + wordWidth;
        }
      }
      if (current) out.push(current);
      return out.join('\n');
    })
    .join('\n');
}
