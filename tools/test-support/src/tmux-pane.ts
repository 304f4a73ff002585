import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What runs in a pane, and with what environment. */
export interface TmuxPaneOptions {
  /** Added to the environment of what runs in the pane. */
  env?: Record<string, string>;
  /** The program and its arguments; by default `sh` with a `$ ` prompt. */
  command?: readonly string[];
}

/**
 * A real terminal for a test: a detached tmux session of a given size on a private server socket
 * (so the test neither sees nor touches anyone's tmux), running a plain shell or one program (a
 * MUD client). The test types into it and reads the screen back, as a person would.
 */
export class TmuxPane {
  readonly #socket: string;
  readonly #dir: string;
  /** The server's socket file, which tmux leaves behind when its server is killed. */
  #socketPath = '';

  private constructor(socket: string, dir: string) {
    this.#socket = socket;
    this.#dir = dir;
  }

  /** A `columns` x `rows` pane running `options.command` (or `sh` with a `$ ` prompt). */
  static async open(columns: number, rows: number, options: TmuxPaneOptions = {}): Promise<TmuxPane> {
    const dir = mkdtempSync(join(tmpdir(), 'leviathan-tmux-'));
    const socket = `leviathan-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const env = options.env ?? {};
    // No status line: the pane is the whole window, exactly columns x rows.
    const config = join(dir, 'tmux.conf');
    // Scrollback kept for text(): a MUD client's session scrolls past the screen.
    writeFileSync(
      config,
      'set -g status off\nset -g default-terminal "tmux-256color"\nset -g history-limit 5000\n',
    );
    const pane = new TmuxPane(socket, dir);
    await pane.#tmux(
      '-f',
      config,
      'new-session',
      '-d',
      '-x',
      String(columns),
      '-y',
      String(rows),
      '-s',
      'pane',
      '-e',
      'PS1=$ ',
      ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
      ...(options.command ?? ['sh']),
    );
    pane.#socketPath = (await pane.#tmux('display-message', '-p', '#{socket_path}')).trim();
    return pane;
  }

  async #tmux(...args: string[]): Promise<string> {
    const { stdout } = await run('tmux', ['-L', this.#socket, ...args]);
    return stdout;
  }

  /** Types `line` and Enter. */
  async type(line: string): Promise<void> {
    await this.#tmux('send-keys', '-t', 'pane', '-l', line);
    await this.#tmux('send-keys', '-t', 'pane', 'Enter');
  }

  /** Presses keys by tmux name (`q`, `Tab`, `C-c`, `?`). */
  async press(...keys: string[]): Promise<void> {
    for (const key of keys) await this.#tmux('send-keys', '-t', 'pane', key);
  }

  /** The screen as text; with `colours`, with the SGR escapes (to see what is red). */
  async screen(colours = false): Promise<string> {
    return this.#tmux('capture-pane', '-p', '-t', 'pane', ...(colours ? ['-e'] : []));
  }

  /** Everything the pane shows and has scrolled off, lines joined as written (SGR escapes if `colours`). */
  async text(colours = false): Promise<string> {
    return this.#tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'pane', ...(colours ? ['-e'] : []));
  }

  /** Waits until `part` shows anywhere in text(), scrollback included. */
  async waitForText(part: string | RegExp, what = String(part), timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < deadline) {
      text = await this.text();
      if (typeof part === 'string' ? text.includes(part) : part.test(text)) return text;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the terminal did not show ${what} within ${timeoutMs} ms; it shows:\n${text}`);
  }

  /** `columns x rows` as tmux sees the pane. */
  async size(): Promise<string> {
    return (await this.#tmux('display-message', '-p', '-t', 'pane', '#{pane_width}x#{pane_height}')).trim();
  }

  async resize(columns: number, rows: number): Promise<void> {
    await this.#tmux('resize-window', '-t', 'pane', '-x', String(columns), '-y', String(rows));
  }

  /**
   * Polls the screen until `test` accepts it; rejects after `timeoutMs` with the last screen, so
   * a failure shows what a person would have seen.
   */
  async waitFor(
    test: (screen: string) => boolean,
    what: string,
    timeoutMs = 30_000,
    colours = false,
  ): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = await this.screen(colours);
      if (test(screen)) return screen;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the terminal did not show ${what} within ${timeoutMs} ms; it shows:\n${screen}`);
  }

  async close(): Promise<void> {
    await this.#tmux('kill-server').catch(() => {});
    rmSync(this.#dir, { recursive: true, force: true });
    if (this.#socketPath !== '') rmSync(this.#socketPath, { force: true });
  }
}
