/**
 * What a link-dead character missed: the last messages sent to it while it had no connection,
 * bounded by count and bytes (oldest dropped first), replayed in order when it is taken back.
 * Messages are kept as the encoded strings the shard produced, so a replay re-encodes nothing.
 */
export class ReplayBuffer {
  readonly #maxMessages: number;
  readonly #maxBytes: number;
  #items: string[] = [];
  #head = 0;
  #bytes = 0;
  /** Messages dropped because the buffer was full (reported to the player on replay). */
  dropped = 0;

  /**
   * @param maxMessages most messages kept. @default 200
   * @param maxBytes most UTF-16 code units kept (about bytes for the mostly-ASCII text of a MUD). @default 65536
   */
  constructor(maxMessages = 200, maxBytes = 64 * 1024) {
    this.#maxMessages = maxMessages;
    this.#maxBytes = maxBytes;
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  push(encoded: string): void {
    if (encoded.length > this.#maxBytes) {
      this.dropped++;
      return;
    }
    this.#items.push(encoded);
    this.#bytes += encoded.length;
    while (this.size > this.#maxMessages || this.#bytes > this.#maxBytes) {
      this.#bytes -= this.#items[this.#head]!.length;
      this.#head++;
      this.dropped++;
    }
    // Compact now and then so the array does not grow without bound.
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Everything held, oldest first; empties the buffer. */
  drain(): string[] {
    const out = this.#items.slice(this.#head);
    this.#items = [];
    this.#head = 0;
    this.#bytes = 0;
    return out;
  }
}
