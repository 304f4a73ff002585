import { render, renderToString } from 'ink';
import { createElement as h } from 'react';
import type { DashboardSource } from '../../../dashboard/dashboard-source.js';
import { topLayout } from './layout.js';
import { TopApp } from './top-app.js';
import { TopScreen } from './top-screen.js';
import { INITIAL_VIEW_STATE } from './view-state.js';

/**
 * The alternate screen (xterm's private mode 1049, which every terminal emulator, tmux and screen
 * know): the view draws on a screen of its own, and leaving it gives back the shell's screen as it
 * was, scrollback included — what `top`, `htop` and `less` do. Ink has no option for it.
 */
const ENTER_ALTERNATE_SCREEN = '\u001B[?1049h';
/**
 * Clear it and put the cursor at its top left: the cursor keeps its row across the switch, and Ink
 * draws from wherever the cursor is, so a frame started below the shell's last line would scroll
 * the screen and leave a stale line at the top on every redraw.
 */
const CLEAR_AND_HOME = '\u001B[2J\u001B[H';
const LEAVE_ALTERNATE_SCREEN = '\u001B[?1049l';

export interface RunTopOptions {
  readonly source: DashboardSource;
  readonly kind: 'node' | 'fleet';
  readonly intervalSeconds: number;
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  /** Subscribes to SIGINT/SIGTERM; returns the unsubscribe function. */
  readonly onShutdownSignal: (onSignal: (signal: string) => void) => () => void;
}

/** The live view, until `q`, Ctrl-C or a signal; the terminal is given back as it was. */
export async function runLiveTop(options: RunTopOptions): Promise<void> {
  const { stdout } = options;
  stdout.write(ENTER_ALTERNATE_SCREEN + CLEAR_AND_HOME);
  try {
    const app = render(
      h(TopApp, { source: options.source, kind: options.kind, intervalSeconds: options.intervalSeconds }),
      {
        stdout,
        stdin: options.stdin,
        // Ctrl-C goes through the same quit as `q` (key-bindings.ts), so the screen is restored.
        exitOnCtrlC: false,
        // Not incrementalRendering: in Ink 6.8.0 it moves the cursor up one line too few after a
        // frame that ends in a newline (log-update.js, cursorUp(previousVisible - 1)), so every
        // redraw landed one line lower and left the old top line behind (seen in the tmux test).
        // The whole frame is redrawn instead, inside a synchronized update where the terminal has one.
        maxFps: 20,
      },
    );
    const unsubscribe = options.onShutdownSignal(() => app.unmount());
    try {
      await app.waitUntilExit();
    } finally {
      unsubscribe();
    }
  } finally {
    options.source.close();
    stdout.write(LEAVE_ALTERNATE_SCREEN);
  }
}

/**
 * Not a terminal (piped, redirected, cron): one sample, one frame of `columns` x `rows`, written
 * as plain lines. Resolves with whether the target answered.
 */
export async function printOneFrame(options: {
  readonly source: DashboardSource;
  readonly kind: 'node' | 'fleet';
  readonly intervalSeconds: number;
  readonly columns: number;
  readonly rows: number;
  readonly write: (text: string) => unknown;
}): Promise<boolean> {
  const snapshot = await options.source.sample();
  options.source.close();
  const layout = topLayout(options.columns, options.rows);
  const frame = renderToString(
    h(TopScreen, {
      kind: options.kind,
      target: options.source.target,
      snapshot,
      reachableSince: undefined,
      intervalSeconds: options.intervalSeconds,
      layout,
      state: INITIAL_VIEW_STATE,
    }),
    { columns: layout.columns },
  );
  options.write(`${frame}\n`);
  return snapshot.reachable;
}
