import { parseArgs } from 'node:util';
import { signHmacToken } from '../../auth/hmac-token.js';
import { EngineError } from '../../errors.js';
import { type CliCommand, type CliIo, ExitCode } from '../cli-command.js';

const DEFAULT_SECRET_ENV = 'LEVIATHAN_HMAC_SECRET';

function tokenHelp(): string {
  return `Usage: leviathan token --username <name> [--roles a,b] [--expires-in <seconds>] [--secret-env <VAR>]

Signs an HMAC token that a server in auth mode hmac accepts, with the secret from the environment
(never from a flag, so it stays out of shell history and process listings). For operators, tests
and load generators; a real deployment signs tokens in its own login service with signHmacToken().

Flags:
  --username <name>        The player the token is for (required).
  --roles <a,b>            Roles, comma-separated. Default: none.
  --expires-in <seconds>   Lifetime. Default: 3600.
  --secret-env <VAR>       Variable holding the secret. Default: ${DEFAULT_SECRET_ENV}.
  -h, --help               Show this help.

Examples:
  LEVIATHAN_HMAC_SECRET=... leviathan token --username alice
  LEVIATHAN_HMAC_SECRET=... leviathan token --username gm1 --roles player,admin --expires-in 600
`;
}

async function token(argv: readonly string[], io: CliIo): Promise<number> {
  let values: { username?: string; roles?: string; 'expires-in'?: string; 'secret-env'?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        username: { type: 'string' },
        roles: { type: 'string' },
        'expires-in': { type: 'string' },
        'secret-env': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.stderr.write(
      `leviathan token: ${(error as Error).message.split('.')[0]}; see leviathan token --help\n`,
    );
    return ExitCode.Usage;
  }
  if (values.username === undefined) {
    io.stderr.write('leviathan token: --username is required; see leviathan token --help\n');
    return ExitCode.Usage;
  }
  const expires = values['expires-in'] ?? '3600';
  if (!/^\d+$/.test(expires) || Number(expires) <= 0) {
    io.stderr.write(`leviathan token: --expires-in must be a positive number of seconds, got "${expires}"\n`);
    return ExitCode.Usage;
  }
  const secretEnv = values['secret-env'] ?? DEFAULT_SECRET_ENV;
  const secret = io.env[secretEnv];
  if (secret === undefined || secret === '') {
    io.stderr.write(`leviathan token: the environment variable ${secretEnv} holding the secret is not set\n`);
    return ExitCode.Usage;
  }
  try {
    const roles =
      values.roles === undefined || values.roles === '' ? [] : values.roles.split(',').map((r) => r.trim());
    io.stdout.write(
      `${signHmacToken({ username: values.username, roles, expiresInSec: Number(expires), secret })}\n`,
    );
    return ExitCode.Ok;
  } catch (error) {
    if (error instanceof EngineError) {
      io.stderr.write(`leviathan token: ${error.message}\n`);
      return ExitCode.Usage;
    }
    throw error;
  }
}

export const tokenCommand: CliCommand = {
  summary: 'Sign an HMAC token for a player (secret from the environment)',
  help: tokenHelp,
  run: token,
};
