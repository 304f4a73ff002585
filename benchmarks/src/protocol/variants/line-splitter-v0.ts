/**
 * The LineSplitter of commit c622360, kept to measure the current one against: a Buffer#subarray
 * per line and the CR trimmed by a second view. (Options checks left out.) Measured under load:
 * v0 and v1 within noise of each other, both 1.5-1.8x the bare split, whose Buffer#toString does
 * not validate UTF-8.
 */
import { InvalidUtf8Error, LineTooLargeError, type ProtocolError } from '@leviathan/protocol';

const DEFAULT_LIMITS = { maxLineBytes: 16 * 1024 };
const assertPositiveInteger = (_name: string, _value: number) => {};
const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const decodeUtf8 = (bytes: Uint8Array) => fatalDecoder.decode(bytes);

const LF = 0x0a;
const CR = 0x0d;
const copyBytes = Uint8Array.prototype.slice;

interface LineSplitterOptions {
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
export class LineSplitterV0 {
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
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(LF, start);
      if (nl === -1) {
        this.#hold(chunk, start, chunk.length);
        return;
      }
      if (this.#discarding) {
        // The end of a line that was too long: it was reported when it passed the limit.
        this.#discarding = false;
      } else if (this.#pendingBytes === 0) {
        // The whole line is in this chunk: decode it in place, without copying (the common case).
        this.#emit(chunk.subarray(start, nl));
      } else {
        this.#hold(chunk, start, nl);
        if (this.#discarding) this.#discarding = false;
        else this.#emit(this.#joinPending());
      }
      this.#reset();
      start = nl + 1;
    }
  }

  /** Ends the stream: a last line without a newline is emitted. */
  end(): void {
    if (!this.#discarding && this.#pendingBytes > 0) this.#emit(this.#joinPending());
    this.#reset();
    this.#discarding = false;
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

  #emit(bytes: Uint8Array): void {
    let len = bytes.length;
    if (len > 0 && bytes[len - 1] === CR) len--;
    if (len > this.#maxLineBytes) {
      this.#onError(new LineTooLargeError(len, this.#maxLineBytes));
      return;
    }
    let line: string;
    try {
      line = decodeUtf8(len === bytes.length ? bytes : bytes.subarray(0, len));
    } catch (err) {
      this.#onError(new InvalidUtf8Error(err));
      return;
    }
    this.#onLine(line);
  }

  #reset(): void {
    if (this.#pendingBytes > 0 || this.#pending.length > 0) this.#pending = [];
    this.#pendingBytes = 0;
  }
}
