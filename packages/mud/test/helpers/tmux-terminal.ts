import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A real terminal for a test: a detached tmux session of a given size on a private server socket
 * (so the test neither sees nor touches anyone's tmux), running one program. The test types into
 * it and reads the screen back, scrollback included, as a person would.
 */
export class TmuxTerminal {
  readonly #socket = `leviathan-mud-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  static async open(columns: number, rows: number, command: string[]): Promise<TmuxTerminal> {
    const t = new TmuxTerminal();
    await t.#tmux(
      '-f',
      '/dev/null',
      'new-session',
      '-d',
      '-x',
      String(columns),
      '-y',
      String(rows),
      '-s',
      'mud',
      '-e',
      'TERM=xterm-256color',
      ...command,
    );
    await t.#tmux('set-option', '-t', 'mud', 'history-limit', '5000');
    return t;
  }

  async #tmux(...args: string[]): Promise<string> {
    const { stdout } = await run('tmux', ['-L', this.#socket, ...args]);
    return stdout;
  }

  /** Types `line` and Enter. */
  async type(line: string): Promise<void> {
    await this.#tmux('send-keys', '-t', 'mud', '-l', line);
    await this.#tmux('send-keys', '-t', 'mud', 'Enter');
  }

  /** Everything the terminal shows and has scrolled off, as text (with SGR escapes if `colours`). */
  async text(colours = false): Promise<string> {
    return this.#tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'mud', ...(colours ? ['-e'] : []));
  }

  /** Waits, polling the screen (a terminal has no events to wait on), until `part` shows. */
  async waitFor(part: string | RegExp, what = String(part)): Promise<string> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const text = await this.text();
      if (typeof part === 'string' ? text.includes(part) : part.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`no ${what} on the terminal:\n${text}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async close(): Promise<void> {
    await this.#tmux('kill-server').catch(() => {});
  }
}
