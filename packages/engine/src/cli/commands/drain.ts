import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DRAIN_SIGNAL } from '../../server/drain-signal.js';
import { type CliCommand, type CliIo, ExitCode } from '../cli-command.js';

/** How long `leviathan drain` waits for the node to exit by default, in seconds. */
const DEFAULT_TIMEOUT_S = 300;
/** How often it says that it is still waiting, in ms. */
const PROGRESS_EVERY_MS = 5_000;
/** How often it looks whether the process is gone, in ms. */
const POLL_MS = 100;

function drainHelp(): string {
  return `Usage: leviathan drain (--pid <pid> | --pid-file <file>) [--timeout <seconds>]

Drains a running \`leviathan serve\` before it stops: sends it ${DRAIN_SIGNAL} and waits until the
process has exited, saying every few seconds that it still waits. A cluster node then takes no new
login, hands each of its zones to the other nodes (saved first), tells its players to resume on
another node with their resume token, saves them, and exits. A server that is not in a cluster has
nowhere to move its players to: it shuts down gracefully, as on SIGTERM.

Run it on one node at a time (a rolling deploy): the others must have room for its zones.

Flags:
  --pid <pid>              The server's process id (systemd: $MAINPID).
  --pid-file <file>        A file holding the process id.
  --timeout <seconds>      How long to wait for the process to exit. Default: ${DEFAULT_TIMEOUT_S}.
  -h, --help               Show this help.

Exit codes: 0 the server drained and exited; 1 it was still running at the timeout; 2 bad flags,
no such process, or no permission to signal it.

Examples:
  leviathan drain --pid 4242
  leviathan drain --pid-file /run/leviathan/leviathan.pid --timeout 120
`;
}

async function drain(argv: readonly string[], io: CliIo): Promise<number> {
  const fail = (message: string): number => {
    io.stderr.write(`leviathan drain: ${message}\n`);
    return ExitCode.Usage;
  };
  let values: { pid?: string; 'pid-file'?: string; timeout?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { pid: { type: 'string' }, 'pid-file': { type: 'string' }, timeout: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return fail(`${(error as Error).message.split('.')[0]}; see leviathan drain --help`);
  }
  if ((values.pid === undefined) === (values['pid-file'] === undefined))
    return fail('give one of --pid or --pid-file; see leviathan drain --help');
  let pidText = values.pid ?? '';
  if (values['pid-file'] !== undefined) {
    try {
      pidText = (await readFile(values['pid-file'], 'utf8')).trim();
    } catch (error) {
      return fail(`cannot read ${values['pid-file']}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    }
  }
  if (!/^\d+$/.test(pidText) || Number(pidText) <= 1)
    return fail(`the process id must be a number above 1, got "${pidText}"`);
  const pid = Number(pidText);
  const timeoutText = values.timeout ?? String(DEFAULT_TIMEOUT_S);
  if (!/^\d+$/.test(timeoutText) || Number(timeoutText) <= 0)
    return fail(`--timeout must be a positive number of seconds, got "${timeoutText}"`);
  const timeoutMs = Number(timeoutText) * 1000;

  try {
    process.kill(pid, DRAIN_SIGNAL);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(
      code === 'ESRCH'
        ? `no process ${pid}`
        : code === 'EPERM'
          ? `not allowed to signal process ${pid} (run as its user)`
          : `could not signal process ${pid}: ${(error as Error).message}`,
    );
  }
  io.stdout.write(`leviathan drain: sent ${DRAIN_SIGNAL} to ${pid}; waiting for it to exit\n`);
  const started = Date.now();
  let told = started;
  while (alive(pid)) {
    const now = Date.now();
    if (now - started >= timeoutMs) {
      io.stderr.write(
        `leviathan drain: process ${pid} is still running after ${Math.round(timeoutMs / 1000)} s; it goes on draining (send SIGTERM to stop it now)\n`,
      );
      return ExitCode.Failure;
    }
    if (now - told >= PROGRESS_EVERY_MS) {
      told = now;
      io.stdout.write(`leviathan drain: ${pid} still draining (${Math.round((now - started) / 1000)} s)\n`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  io.stdout.write(
    `leviathan drain: ${pid} drained and exited in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return ExitCode.Ok;
}

/**
 * Whether `pid` is a running process (one we may not signal still runs). A zombie has exited: in a
 * container whose first process reaps no orphans, a drained server stays one.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (not Linux): the signal check is all there is
  }
}

export const drainCommand: CliCommand = {
  summary: 'Drain a running server (hand its zones and players to other nodes), then let it stop',
  help: drainHelp,
  run: drain,
};
