import { parseArgs } from 'node:util';
import type { DashboardSource } from '../../../dashboard/dashboard-source.js';
import { type CliCommand, type CliIo, ExitCode } from '../../cli-command.js';
import { loadTerminalUi, TerminalUiMissingError } from './load-terminal-ui.js';
import { type TopTarget, TopTargetError, topSource } from './top-source.js';

/** The engine `leviathan top` watches when given no address: `leviathan serve`'s default. */
export const DEFAULT_TOP_URL = 'http://127.0.0.1:8080';
/** Seconds between samples by default: the rhythm of a Prometheus scrape and of btop. */
const DEFAULT_INTERVAL_S = 1;
/** The shortest interval: faster gives no new information (the figures are rates over seconds). */
const MIN_INTERVAL_S = 0.2;

function topHelp(): string {
  return `Usage: leviathan top [url] [--interval <seconds>]
       leviathan top --prometheus <url> [--interval <seconds>]

A live view of a running engine in the terminal, in the spirit of btop: meters for command latency
(p50/p95/p99, against the tick), tick load, event-loop lag, save backlog, database p99 and shards
up, coloured green / yellow / red at the same thresholds as the alerts; players, commands/s, memory
per player and network with sparklines; the grid (nodes and shards); the busiest zones.

Node mode (default) reads one engine's /metrics (url: http://host:port, host:port, or the
/metrics URL; default ${DEFAULT_TOP_URL}). Fleet mode (--prometheus) asks a Prometheus server
that scrapes the engines.

Keys: 1 overview, 2 grid, 3 zones, Tab next view, s sort (players, load, name), ? help, q or
Ctrl-C quit. A target that does not answer is shown as unreachable, and retried every interval.
When the output is not a terminal, one frame is printed (exit code 1 if the target did not answer).

Needs the optional packages ink and react (npm install ink@6.8.0 react@19.3.1 if they were omitted).

Flags:
  --prometheus <url>       Watch a fleet through this Prometheus server.
  --interval <seconds>     Time between samples. Default: ${DEFAULT_INTERVAL_S}; at least ${MIN_INTERVAL_S}.
  -h, --help               Show this help.

Exit codes: 0 quit; 1 one frame printed and the target did not answer; 2 bad flags or address;
3 ink or react missing.

Examples:
  leviathan top
  leviathan top http://10.0.0.5:8080 --interval 2
  leviathan top --prometheus http://prometheus:9090
`;
}

async function top(argv: readonly string[], io: CliIo): Promise<number> {
  const fail = (message: string, code: number = ExitCode.Usage): number => {
    io.stderr.write(`leviathan top: ${message}\n`);
    return code;
  };
  let values: { prometheus?: string; interval?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: { prometheus: { type: 'string' }, interval: { type: 'string' } },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    return fail(`${(error as Error).message.split('.')[0]}; see leviathan top --help`);
  }
  if (positionals.length > 1)
    return fail(`one address at most, got ${positionals.join(' ')}; see leviathan top --help`);
  if (values.prometheus !== undefined && positionals.length > 0)
    return fail('give an engine address or --prometheus <url>, not both; see leviathan top --help');
  const intervalText = values.interval ?? String(DEFAULT_INTERVAL_S);
  const intervalSeconds = Number(intervalText);
  if (!/^\d+(\.\d+)?$/.test(intervalText) || !(intervalSeconds >= MIN_INTERVAL_S))
    return fail(`--interval must be a number of seconds, at least ${MIN_INTERVAL_S}, got "${intervalText}"`);
  const target: TopTarget =
    values.prometheus !== undefined
      ? { kind: 'fleet', url: values.prometheus }
      : { kind: 'node', url: positionals[0] ?? DEFAULT_TOP_URL };

  let source: DashboardSource;
  try {
    source = await topSource(target, intervalSeconds);
  } catch (error) {
    if (error instanceof TopTargetError) return fail(error.message);
    if (error instanceof TerminalUiMissingError) return fail(error.message, ExitCode.StartFailed);
    throw error;
  }
  const stdout = io.stdout as Partial<NodeJS.WriteStream>;
  const interactive = stdout.isTTY === true && process.stdin.isTTY === true;
  let ui: Awaited<ReturnType<typeof loadTerminalUi>>;
  try {
    ui = await loadTerminalUi(interactive);
  } catch (error) {
    source.close();
    if (error instanceof TerminalUiMissingError) return fail(error.message, ExitCode.StartFailed);
    throw error;
  }
  if (!interactive) {
    const answered = await ui.printOneFrame({
      source,
      kind: target.kind,
      intervalSeconds,
      columns: Number(io.env.COLUMNS) || stdout.columns || 80,
      rows: Number(io.env.LINES) || stdout.rows || 24,
      write: (text) => io.stdout.write(text),
    });
    return answered ? ExitCode.Ok : ExitCode.Failure;
  }
  await ui.runLiveTop({
    source,
    kind: target.kind,
    intervalSeconds,
    stdin: process.stdin,
    stdout: io.stdout as NodeJS.WriteStream,
    onShutdownSignal: (onSignal) => io.onShutdownSignal(onSignal),
  });
  return ExitCode.Ok;
}

export const topCommand: CliCommand = {
  summary: 'Watch a running engine (or a fleet through Prometheus) live in the terminal, btop-style',
  help: topHelp,
  run: top,
};
