import { InvalidUtf8Error, LineTooLargeError, type ProtocolError } from '../errors.js';
import { DEFAULT_LIMITS } from '../limits.js';
import { decodeUtf8 } from './utf8.js';

const LF = 0x0a;
const CR = 0x0d;

export interface LineSplitterOptions {
  /**
   * Longest line accepted, in bytes, without its line ending. A longer line is reported once as a
   * LineTooLargeError and skipped up to the next newline, so one bad line does not poison the rest.
   * @default 16384
   */
  maxLineBytes?: number;
}

/**
 * Splits a byte stream (TCP, stdin) into UTF-8 lines. Handles lines split across chunks, `\n` and
 * `\r\n` endings, multi-byte characters split across chunks (bytes are kept until the line ends:
 * 0x0A never occurs inside a UTF-8 sequence), and a maximum line length.
 */
export class LineSplitter {
  readonly #maxLineBytes: number;
  readonly #onLine: (line: string) => void;
  readonly #onError: (error: ProtocolError) => void;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  /** True while skipping the rest of a line that was too long. */
  #discarding = false;

  constructor(
    onLine: (line: string) => void,
    onError: (error: ProtocolError) => void,
    options: LineSplitterOptions = {},
  ) {
    this.#onLine = onLine;
    this.#onError = onError;
    this.#maxLineBytes = options.maxLineBytes ?? DEFAULT_LIMITS.maxLineBytes;
  }

  /** Bytes held for a line that has not ended yet. */
  get bufferedBytes(): number {
    return this.#pendingBytes;
  }

  push(chunk: Uint8Array): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(LF, start);
      if (nl === -1) {
        this.#hold(chunk.subarray(start));
        return;
      }
      if (this.#discarding) {
        this.#discarding = false;
      } else {
        this.#hold(chunk.subarray(start, nl));
        if (!this.#discarding) this.#emit();
        else this.#discarding = false;
      }
      this.#reset();
      start = nl + 1;
    }
  }

  /** Ends the stream: a last line without a newline is emitted. */
  end(): void {
    if (!this.#discarding && this.#pendingBytes > 0) this.#emit();
    this.#reset();
    this.#discarding = false;
  }

  #hold(part: Uint8Array): void {
    if (this.#discarding || part.length === 0) return;
    // A line may end with \r that is part of \r\n: the limit counts the line without it.
    if (this.#pendingBytes + part.length > this.#maxLineBytes + 1) {
      this.#onError(new LineTooLargeError(this.#pendingBytes + part.length, this.#maxLineBytes));
      this.#reset();
      this.#discarding = true;
      return;
    }
    // Copy: the caller may reuse the chunk's memory (uWS and net sockets both can).
    this.#pending.push(part.slice());
    this.#pendingBytes += part.length;
  }

  #emit(): void {
    let bytes: Uint8Array;
    if (this.#pending.length === 1) bytes = this.#pending[0] as Uint8Array;
    else {
      bytes = new Uint8Array(this.#pendingBytes);
      let offset = 0;
      for (const p of this.#pending) {
        bytes.set(p, offset);
        offset += p.length;
      }
    }
    let len = bytes.length;
    if (len > 0 && bytes[len - 1] === CR) len--;
    if (len > this.#maxLineBytes) {
      this.#onError(new LineTooLargeError(len, this.#maxLineBytes));
      return;
    }
    let line: string;
    try {
      line = decodeUtf8(bytes.subarray(0, len));
    } catch (err) {
      this.#onError(new InvalidUtf8Error(err));
      return;
    }
    this.#onLine(line);
  }

  #reset(): void {
    this.#pending = [];
    this.#pendingBytes = 0;
  }
}
