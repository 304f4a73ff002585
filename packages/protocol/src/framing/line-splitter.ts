import { InvalidUtf8Error, LineTooLargeError, type ProtocolError } from '../errors.js';
import { assertPositiveInteger, DEFAULT_LIMITS } from '../limits.js';
import { decodeUtf8 } from './utf8.js';

const LF = 0x0a;
const CR = 0x0d;
const copyBytes = Uint8Array.prototype.slice;

export interface LineSplitterOptions {
  /**
   * Longest line accepted, in bytes, without its line ending. A longer line is reported once as a
   * LineTooLargeError and skipped up to the next newline, so one bad line does not poison the rest.
   * A positive integer (the constructor throws a RangeError otherwise).
   * @default 16384
   */
  maxLineBytes?: number;
}

/**
 * Splits a byte stream (TCP, stdin) into UTF-8 lines. Handles lines split across chunks, `\n` and
 * `\r\n` endings, multi-byte characters split across chunks (bytes are kept until the line ends:
 * 0x0A never occurs inside a UTF-8 sequence), and a maximum line length. Every line is emitted,
 * empty ones included (a blank line can mean something to a text game); a line that is not valid
 * UTF-8 is reported as an InvalidUtf8Error and skipped. Never throws on any input.
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
    assertPositiveInteger('maxLineBytes', this.#maxLineBytes);
  }

  /** Bytes held for a line that has not ended yet. */
  get bufferedBytes(): number {
    return this.#pendingBytes;
  }

  /**
   * Feeds a chunk. Lines are emitted synchronously, before `push` returns. The chunk's memory may
   * be reused by the caller afterwards: bytes that must wait for the rest of their line are copied.
   */
  push(chunk: Uint8Array): void {
    const length = chunk.length;
    let start = 0;
    while (start < length) {
      const nl = chunk.indexOf(LF, start);
      if (nl === -1) {
        this.#hold(chunk, start, length);
        return;
      }
      if (this.#discarding) {
        // The end of a line that was too long: it was reported when it passed the limit.
        this.#discarding = false;
      } else if (this.#pendingBytes === 0) {
        // The whole line is in this chunk: decode it in place, without copying (the common case).
        this.#emit(chunk, start, nl);
      } else {
        this.#hold(chunk, start, nl);
        if (this.#discarding) {
          this.#discarding = false;
        } else {
          const line = this.#joinPending();
          this.#reset();
          this.#emit(line, 0, line.length);
        }
      }
      start = nl + 1;
    }
  }

  /** Ends the stream: a last line without a newline is emitted. */
  end(): void {
    const emit = !this.#discarding && this.#pendingBytes > 0;
    const line = emit ? this.#joinPending() : undefined;
    this.#reset();
    this.#discarding = false;
    if (line !== undefined) this.#emit(line, 0, line.length);
  }

  #hold(chunk: Uint8Array, from: number, to: number): void {
    const length = to - from;
    if (this.#discarding || length === 0) return;
    // A line may end with the \r of \r\n, which the limit does not count: allow one byte more here
    // and check the exact length when the line ends.
    const total = this.#pendingBytes + length;
    if (total > this.#maxLineBytes + 1) {
      this.#onError(new LineTooLargeError(total, this.#maxLineBytes));
      this.#reset();
      this.#discarding = true;
      return;
    }
    // A real copy: the caller may reuse the chunk's memory (uWS and net sockets both can), and
    // Buffer#slice would only make a view (regression: splitter-keeps-bytes-of-reused-buffer).
    this.#pending.push(copyBytes.call(chunk, from, to));
    this.#pendingBytes = total;
  }

  #joinPending(): Uint8Array {
    if (this.#pending.length === 1) return this.#pending[0] as Uint8Array;
    const bytes = new Uint8Array(this.#pendingBytes);
    let offset = 0;
    for (const p of this.#pending) {
      bytes.set(p, offset);
      offset += p.length;
    }
    return bytes;
  }

  /**
   * Emits bytes[from, to) as a line, without a trailing \r, through one plain Uint8Array view
   * (Buffer#subarray goes through Buffer's species constructor: about 15 % slower in a bare split
   * loop here, though within noise for the whole splitter: LineSplitter v0 vs v1 in the benchmark).
   * The decoding is the floor: a fatal TextDecoder costs 1.2-1.4x Buffer#toString here, which is
   * faster only because it does not validate (it replaces bad bytes with U+FFFD).
   */
  #emit(bytes: Uint8Array, from: number, to: number): void {
    if (to > from && bytes[to - 1] === CR) to--;
    const length = to - from;
    if (length > this.#maxLineBytes) {
      this.#onError(new LineTooLargeError(length, this.#maxLineBytes));
      return;
    }
    let line: string;
    try {
      line = decodeUtf8(new Uint8Array(bytes.buffer, bytes.byteOffset + from, length));
    } catch (err) {
      this.#onError(new InvalidUtf8Error(err));
      return;
    }
    this.#onLine(line);
  }

  #reset(): void {
    if (this.#pending.length > 0) this.#pending = [];
    this.#pendingBytes = 0;
  }
}
