import { closestName } from '../config/closest-name.js';
import { CliUsageError } from '../errors.js';
import { DRAIN_SIGNAL } from '../server/drain-signal.js';
import { type CliIo, ExitCode } from './cli-command.js';
import { COMMANDS } from './commands/index.js';
import { engineVersion } from './version.js';

async function mainHelp(): Promise<string> {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const rows: string[] = [];
  for (const name of names) {
    const command = await COMMANDS[name]!();
    rows.push(`  ${name.padEnd(width)}${command.summary}`);
  }
  return `Usage: leviathan <command> [flags]

Commands:
${rows.join('\n')}

Flags:
  -h, --help     Show help (also: leviathan <command> --help)
  -v, --version  Print the version

Examples:
  leviathan serve --dev-auth
  leviathan serve --help
`;
}

/**
 * The `leviathan` command line, as a function: parses the command, runs it, resolves with the exit
 * code. Errors become one line on stderr; only unexpected ones print a stack.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
      const target = first === 'help' ? rest[0] : undefined;
      if (target !== undefined) return runCli([target, '--help'], io);
      io.stdout.write(await mainHelp());
      return first === undefined ? ExitCode.Usage : ExitCode.Ok;
    }
    if (first === '-v' || first === '--version') {
      io.stdout.write(`${engineVersion()}\n`);
      return ExitCode.Ok;
    }
    const load = COMMANDS[first];
    if (load === undefined) {
      const hint = closestName(first, Object.keys(COMMANDS));
      throw new CliUsageError(
        first.startsWith('-')
          ? `unknown flag ${first} before a command; try leviathan --help`
          : `unknown command "${first}"${hint ? ` (did you mean ${hint}?)` : ''}; try leviathan --help`,
      );
    }
    const command = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(command.help());
      return ExitCode.Ok;
    }
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr.write(`leviathan: ${error.message}\n`);
      return ExitCode.Usage;
    }
    io.stderr.write(`leviathan: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    return ExitCode.Failure;
  }
}

/** The real process's input and output, and SIGINT/SIGTERM. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    onShutdownSignal(onSignal) {
      const handler = (signal: NodeJS.Signals) => onSignal(signal);
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      process.on(DRAIN_SIGNAL, handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
        process.off(DRAIN_SIGNAL, handler);
      };
    },
  };
}
