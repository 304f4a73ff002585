import { CONFIG_OPTIONS } from '../../config/config-options.js';
import { redactConfig } from '../../config/redact-config.js';
import { resolveConfigDetailed } from '../../config/resolve-config.js';
import { ConfigFileError, ConfigInvalidError, EngineError } from '../../errors.js';
import { createLogger, type Logger } from '../../logging/logger.js';
import type { CreateServerOptions, LeviathanServer } from '../../server/create-server.js';
import { DRAIN_SIGNAL } from '../../server/drain-signal.js';
import { gameRequiredError } from '../../shard/load-game.js';
import { type CliCommand, type CliIo, ExitCode } from '../cli-command.js';

type CreateServer = (options: CreateServerOptions) => LeviathanServer;

/** How long a drain may take beyond the shutdown deadline before the process gives up, in ms. */
const DRAIN_GUARD_MS = 300_000;

function serveHelp(): string {
  const rows = CONFIG_OPTIONS.filter((o) => o.flag !== undefined).map((o) => {
    const value =
      o.type === 'boolean'
        ? ''
        : ` <${o.values ? o.values.join('|') : (o.unit || o.type).replace(/ /g, '-')}>`;
    return [`${o.flag}${value}`, `${o.description} Default: ${o.defaultText}. Env: ${o.env}.`] as const;
  });
  const extra: (readonly [string, string])[] = [
    ['--config <file>', 'Read options from a JSON or YAML file (env: LEVIATHAN_CONFIG).'],
    ['--dev-auth', 'Same as --auth-mode dev: accept the token "test-token". Local play and load tests only.'],
    [
      '--print-config',
      'Print the resolved configuration (secrets redacted) and where each value came from, then exit.',
    ],
    ['-h, --help', 'Show this help.'],
  ];
  const all = [...extra, ...rows];
  // Flags in a column, descriptions wrapped beside them, the whole within 100 columns.
  const width = 36;
  const lines = all.map(([flag, text]) => {
    const body = wrap(text, 100 - 2 - width).map((line, i) =>
      i === 0 ? line : ' '.repeat(width + 2) + line,
    );
    return flag.length + 2 > width
      ? `  ${flag}\n${' '.repeat(width + 2)}${body.join('\n')}`
      : `  ${flag.padEnd(width)}${body.join('\n')}`;
  });
  return `Usage: leviathan serve [flags]

Runs the game server: gateway threads on one port (/ws, /metrics, /healthz, /readyz), shard
threads ticking the game, the store. Options come from, lowest precedence first: defaults, a
--config file, LEVIATHAN_* environment variables, these flags. Secrets come only from the
environment (LEVIATHAN_HMAC_SECRET). Stops gracefully on SIGINT or SIGTERM; on SIGUSR2 (what
\`leviathan drain\` sends) a cluster node first hands its zones and players to the other nodes.

Flags:
${lines.join('\n')}

The game is required: a module file, or a package and its module installed where you run this
(resolved from the working directory; every shard thread imports it).

Examples:
  leviathan serve --dev-auth --game ./my-game.js  # local play: token "test-token", port 8080
  leviathan serve --dev-auth --game @leviathan/mud/game --game-options '{"world":"./world"}'
  leviathan serve --game ./my-game.js --port 9000 --shards 4 --tick-hz 20
  LEVIATHAN_HMAC_SECRET=... leviathan serve --config leviathan.yaml
  leviathan serve --store-kind postgres           # with LEVIATHAN_STORE_URL=postgres://...
  leviathan serve --print-config --config leviathan.yaml

Exit codes: 0 clean shutdown, 1 failure while running, 2 bad flags or configuration,
3 could not start, 130 forced by a second signal.
`;
}

/** Splits text into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') out.push(line);
  return out;
}

async function loadCreateServer(): Promise<CreateServer> {
  // Dynamic, so `leviathan --help` and `--print-config` never load uWS, threads or the store.
  const engine = (await import('../../index.js')) as Record<string, unknown>;
  if (typeof engine.createServer !== 'function') {
    throw new EngineError('LEV_ERR_CLI_USAGE', 'this build of @leviathan/engine has no createServer');
  }
  return engine.createServer as CreateServer;
}

async function serve(argv: readonly string[], io: CliIo): Promise<number> {
  const flags = argv.filter((a) => a !== '--print-config');
  const printConfig = flags.length !== argv.length;

  const warnings: string[] = [];
  let resolved: ReturnType<typeof resolveConfigDetailed>;
  try {
    resolved = resolveConfigDetailed(
      {},
      { env: io.env, argv: flags, cwd: io.cwd, onWarning: (w) => warnings.push(w) },
    );
  } catch (error) {
    if (error instanceof ConfigInvalidError || error instanceof ConfigFileError) {
      io.stderr.write(`leviathan serve: ${error.message}\n`);
      return ExitCode.Usage;
    }
    throw error;
  }
  const { config } = resolved;

  // The engine has no game of its own: say which option is missing before anything starts.
  if ((config.game === undefined || config.game === '') && !printConfig) {
    io.stderr.write(`leviathan serve: ${gameRequiredError().message}\n`);
    return ExitCode.Usage;
  }

  if (printConfig) {
    const origins = Object.fromEntries([...resolved.origins].map(([key, o]) => [key, o.origin]));
    io.stdout.write(
      // Unset options print as null rather than vanish, so every key shows.
      `${JSON.stringify({ config: redactConfig(config), origins, file: resolved.file ?? null }, (_k, v) => (v === undefined ? null : v), 2)}\n`,
    );
    return ExitCode.Ok;
  }

  let logger: Logger;
  try {
    logger = createLogger({
      level: config.log.level,
      pretty: config.log.pretty,
      bindings: { thread: 'main' },
    });
  } catch (error) {
    // log.pretty without pino-pretty installed.
    if (error instanceof ConfigInvalidError) {
      io.stderr.write(`leviathan serve: ${error.message}\n`);
      return ExitCode.Usage;
    }
    throw error;
  }
  for (const warning of warnings) logger.warn(warning);
  // The server itself warns when the development auth mode is on, and logs where it listens.

  // Signals are watched from before the server starts: a SIGTERM that arrives while threads are
  // still starting (a test or an orchestrator stopping us early) must end in a graceful stop, not
  // the default action, which kills the process with open worker threads.
  let server: LeviathanServer | undefined;
  let listening = false;
  let stopping = false;
  let finish: (code: number) => void = () => {};
  const exit = new Promise<number>((resolve) => {
    finish = resolve;
  });
  const stop = (signal: string) => {
    const drain = signal === DRAIN_SIGNAL;
    logger.info(
      { signal, deadlineMs: config.shutdownDeadlineMs },
      drain ? 'draining, then shutting down' : 'shutting down',
    );
    // The server enforces the deadline itself; this guard only catches a close() that hangs. A
    // drain hands zones over first, each bounded by its own timeouts.
    const guardMs = config.shutdownDeadlineMs + 2000 + (drain ? DRAIN_GUARD_MS : 0);
    const guard = setTimeout(() => {
      logger.error({ deadlineMs: guardMs }, 'shutdown missed its deadline');
      finish(ExitCode.Failure);
    }, guardMs);
    guard.unref();
    (server ? (drain ? server.drain() : server.close()) : Promise.resolve()).then(
      () => {
        clearTimeout(guard);
        finish(ExitCode.Ok);
      },
      (error: unknown) => {
        clearTimeout(guard);
        logger.error({ err: error }, 'shutdown failed');
        finish(ExitCode.Failure);
      },
    );
  };
  let pendingSignal: string | undefined;
  const unsubscribe = io.onShutdownSignal((signal) => {
    if (stopping || pendingSignal !== undefined) {
      logger.warn({ signal }, 'second signal: exiting now');
      finish(ExitCode.Forced);
      return;
    }
    if (listening) {
      stopping = true;
      stop(signal);
    } else pendingSignal = signal; // acted on once listen() settles
  });
  // Logged once the signals are watched: from this line on, SIGTERM means a graceful stop.
  logger.info({ config: redactConfig(config), file: resolved.file }, 'configuration resolved');

  try {
    const createServer = await loadCreateServer();
    // A copy of the resolved config keeps its mark, so createServer validates it without applying
    // the environment again over the flags. Signals are handled here, not by the server.
    server = createServer({ ...config, logger, handleSignals: false });
    await server.listen();
    listening = true;
  } catch (error) {
    logger.fatal({ err: error }, 'the server could not start');
    // Threads that did start are stopped, so the process can exit.
    await server?.close().catch(() => {});
    unsubscribe();
    io.stderr.write(`leviathan serve: could not start: ${(error as Error).message}\n`);
    return ExitCode.StartFailed;
  }
  if (pendingSignal !== undefined) {
    stopping = true;
    stop(pendingSignal);
  }
  const code = await exit;
  unsubscribe();
  return code;
}

export const serveCommand: CliCommand = {
  summary: 'Run the game server',
  help: serveHelp,
  run: serve,
};
