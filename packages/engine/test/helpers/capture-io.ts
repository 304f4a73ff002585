import type { CliIo } from '../../src/cli/cli-command.js';

/**
 * A CliIo that keeps what a command writes, for tests: its output is not a terminal (so `top`
 * prints one frame), and shutdown signals are never delivered.
 */
export function captureIo(
  env: Record<string, string | undefined> = {},
  cwd = process.cwd(),
): { io: CliIo; out: () => string; err: () => string } {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env,
    cwd,
    onShutdownSignal: () => () => {},
  };
  return { io, out: () => stdout, err: () => stderr };
}
