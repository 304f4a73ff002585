import { Opcode } from './frames.js';

/**
 * Reads what the server sends an attacking connection: the upgrade response, then frames, of
 * which only the close code and whether a login succeeded matter.
 */
export class ServerFrames {
  #buffer: Buffer = Buffer.alloc(0);
  #upgraded = false;
  #authenticated: boolean | undefined;
  #ended = false;
  #waiter: (() => void) | undefined;
  closeCode: number | undefined;

  push(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    if (!this.#upgraded) {
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!this.#buffer.subarray(0, 12).toString('latin1').startsWith('HTTP/1.1 101')) {
        this.#buffer = Buffer.alloc(0);
        return;
      }
      this.#upgraded = true;
      this.#buffer = this.#buffer.subarray(end + 4);
      this.#wake();
    }
    this.#frames();
  }

  /** The TCP connection ended: nothing more will come. */
  end(): void {
    this.#ended = true;
    this.#wake();
  }

  upgraded(timeoutMs: number): Promise<boolean> {
    return this.#until(() => this.#upgraded, timeoutMs);
  }

  authenticated(timeoutMs: number): Promise<boolean> {
    return this.#until(
      () => this.#authenticated !== undefined || this.closeCode !== undefined,
      timeoutMs,
    ).then(() => this.#authenticated === true);
  }

  #frames(): void {
    let b = this.#buffer;
    while (b.length >= 2) {
      const opcode = b[0]! & 0x0f;
      let length = b[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (b.length < 4) break;
        length = b.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (b.length < 10) break;
        length = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      if (b.length < offset + length) break;
      const payload = b.subarray(offset, offset + length);
      if (opcode === Opcode.Close) this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      else if (opcode === Opcode.Text && this.#authenticated === undefined) {
        if (payload.includes('"auth-ok"')) this.#authenticated = true;
        else if (payload.includes('"auth-error"')) this.#authenticated = false;
      }
      b = b.subarray(offset + length);
    }
    this.#buffer = b;
    this.#wake();
  }

  /** Resolves with `done()` once it holds, the connection ended, or `timeoutMs` passed. */
  #until(done: () => boolean, timeoutMs: number): Promise<boolean> {
    if (done() || this.#ended) return Promise.resolve(done());
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        resolve(done());
      }, timeoutMs);
      this.#waiter = () => {
        if (!done() && !this.#ended) return;
        clearTimeout(timer);
        this.#waiter = undefined;
        resolve(done());
      };
    });
  }

  #wake(): void {
    this.#waiter?.();
  }
}
