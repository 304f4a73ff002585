/**
 * Telnet (RFC 854) byte handling for a line-mode server: strips commands and option negotiation
 * from the input, answers negotiation by refusing every option (RFC 1143's safe default: a
 * server that says WONT/DONT can never loop), and escapes output. Text passes through untouched,
 * so raw TCP clients (netcat, bots) see plain bytes.
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

enum State {
  Data,
  Iac,
  Option,
  Sub,
  SubIac,
  Cr,
}

/** Stateful across chunks: a command may be split between two TCP reads. */
export class TelnetDecoder {
  #state = State.Data;
  #verb = 0;
  /** Whether the peer ever sent IAC: it is a telnet client, so negotiation bytes are safe to send. */
  sawIac = false;
  /** Options we asked for (WILL ECHO/SGA) and so must not refuse when the client agrees. */
  readonly #requested = new Set<number>();

  /** Notes an option this side offered, so the client's DO is taken as agreement, not refused. */
  offered(option: number): void {
    this.#requested.add(option);
  }

  /**
   * Decodes a chunk: returns the data bytes, and the negotiation answers to write back (empty
   * when there are none).
   */
  push(chunk: Uint8Array): { data: Uint8Array; answers: number[] } {
    const data = new Uint8Array(chunk.length);
    const answers: number[] = [];
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
          if (b === IAC) {
            data[n++] = IAC; // an escaped 0xFF data byte
            this.#state = State.Data;
          } else if (b === WILL || b === WONT || b === DO || b === DONT) {
            this.#verb = b;
            this.#state = State.Option;
          } else if (b === SB) this.#state = State.Sub;
          else this.#state = State.Data; // NOP, GA, AYT, ...: nothing to do in line mode
          break;
        case State.Option:
          this.#state = State.Data;
          if (this.#verb === DO && !this.#requested.has(b)) answers.push(IAC, WONT, b);
          else if (this.#verb === WILL) answers.push(IAC, DONT, b);
          // WONT and DONT need no answer (RFC 854: never acknowledge a refusal).
          break;
        case State.Sub:
          if (b === IAC) this.#state = State.SubIac;
          break;
        case State.SubIac:
          this.#state = b === SE ? State.Data : State.Sub;
          break;
      }
    }
    return { data: data.subarray(0, n), answers };
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
 * left whole. 0 turns wrapping off.
 */
export function wordWrap(text: string, width: number): string {
  if (width <= 0) return text;
  return text
    .split('\n')
    .map((line) => {
      if (line.length <= width) return line;
      const indent = /^\s*/.exec(line)![0];
      const out: string[] = [];
      let current = '';
      for (const word of line.trim().split(/\s+/)) {
        if (current && current.length + 1 + word.length > width) {
          out.push(current);
          current = indent + word;
        } else current = current ? `${current} ${word}` : indent + word;
      }
      if (current) out.push(current);
      return out.join('\n');
    })
    .join('\n');
}
