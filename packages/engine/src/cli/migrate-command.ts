import { resolveConfigDetailed } from '../config/resolve-config.js';
import { ConfigFileError, ConfigInvalidError, StoreError } from '../errors.js';
import { EmbeddedStore } from '../store/embedded/embedded-store.js';
import { migrateDown, migrateUp, migrationStatus } from '../store/postgres/postgres-migrator.js';
import { PostgresStore } from '../store/postgres/postgres-store.js';
import { type CliCommand, type CliIo, ExitCode } from './cli-command.js';

const HELP = `Usage: leviathan migrate <up|down|status> [--steps N] [store flags]

Versioned schema migrations of the store (SQL files shipped in the package's migrations/).

  up       Apply every pending migration, in one transaction, under a Postgres advisory lock:
           several nodes may run it at once; one migrates, the others find nothing to do.
  down     Revert the last applied migration (or the last N with --steps N).
  status   List every migration, applied or pending, and any whose file changed since.

The store comes from the same configuration as \`leviathan serve\`: --store-kind, --store-url,
--store-data-dir, --config <file>, or LEVIATHAN_STORE_KIND / LEVIATHAN_STORE_URL. The embedded
store migrates itself when it opens: \`up\` and \`status\` work on it, \`down\` does not.

Examples:
  LEVIATHAN_STORE_URL=postgres://lev@127.0.0.1/leviathan leviathan migrate up --store-kind postgres
  leviathan migrate status --store-kind postgres --store-url postgres://lev@127.0.0.1/leviathan
  leviathan migrate down --steps 2 --config leviathan.yaml

Exit codes: 0 done, 1 a migration or the database failed (nothing half-applied), 2 bad usage.
`;

async function migrate(argv: readonly string[], io: CliIo): Promise<number> {
  const [action, ...rest] = argv;
  if (action !== 'up' && action !== 'down' && action !== 'status') {
    io.stderr.write(`leviathan migrate: say up, down or status (got ${action ?? 'nothing'}); see --help\n`);
    return ExitCode.Usage;
  }
  let steps = 1;
  const flags: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === '--steps' || arg.startsWith('--steps=')) {
      const value = arg.includes('=') ? arg.slice(8) : rest[++i];
      steps = Number(value);
      if (!Number.isInteger(steps) || steps < 1) {
        io.stderr.write(`leviathan migrate: --steps needs a positive integer, got ${value}\n`);
        return ExitCode.Usage;
      }
    } else {
      flags.push(arg);
    }
  }

  let store: { kind: string; url: string | undefined; dataDir: string };
  try {
    // Only the store section matters here: a code-level auth mode keeps the check of HMAC secrets
    // (which migrate never uses) from failing; a file, env or flag setting still wins.
    store = resolveConfigDetailed({ auth: { mode: 'dev' } }, { env: io.env, argv: flags, cwd: io.cwd }).config
      .store;
  } catch (error) {
    if (error instanceof ConfigInvalidError || error instanceof ConfigFileError) {
      io.stderr.write(`leviathan migrate: ${error.message}\n`);
      return ExitCode.Usage;
    }
    throw error;
  }

  try {
    if (store.kind === 'embedded') return await embedded(action, store.dataDir, io);
    if (store.kind === 'none') {
      io.stderr.write('leviathan migrate: store.kind is none: there is no store to migrate\n');
      return ExitCode.Usage;
    }
    if (!store.url) {
      io.stderr.write(
        'leviathan migrate: store.kind is postgres but no URL: set --store-url or LEVIATHAN_STORE_URL\n',
      );
      return ExitCode.Usage;
    }
    const pg = await PostgresStore.open({ url: store.url, migrate: false, maxConnections: 1 });
    try {
      if (action === 'status') {
        const rows = await migrationStatus(pg.sql);
        for (const r of rows) {
          const state = r.applied
            ? `applied ${r.appliedAt?.toISOString()}${r.checksumMatches ? '' : '  (file changed since it was applied!)'}`
            : 'pending';
          io.stdout.write(`${String(r.version).padStart(4, '0')}_${r.name.padEnd(24)} ${state}\n`);
        }
        return ExitCode.Ok;
      }
      const result = action === 'up' ? await migrateUp(pg.sql) : await migrateDown(pg.sql, { steps });
      const verb = action === 'up' ? 'applied' : 'reverted';
      io.stdout.write(
        result.versions.length === 0
          ? `nothing to do; schema at version ${result.current}\n`
          : `${verb} ${result.versions.join(', ')}; schema at version ${result.current}\n`,
      );
      return ExitCode.Ok;
    } finally {
      await pg.close();
    }
  } catch (error) {
    if (error instanceof StoreError) {
      io.stderr.write(`leviathan migrate: ${error.code}: ${error.message}\n`);
      return ExitCode.Failure;
    }
    throw error;
  }
}

async function embedded(action: 'up' | 'down' | 'status', dataDir: string, io: CliIo): Promise<number> {
  if (action === 'down') {
    io.stderr.write(
      'leviathan migrate: the embedded store migrates itself forward only; to start over, remove its data directory\n',
    );
    return ExitCode.Usage;
  }
  const store = await EmbeddedStore.open({ dataDir });
  await store.close();
  io.stdout.write(`embedded store ${store.file}: migrated and up to date\n`);
  return ExitCode.Ok;
}

/** `leviathan migrate up|down|status`. */
export const migrateCommand: CliCommand = {
  summary: 'Apply, revert or list the store schema migrations',
  help: () => HELP,
  run: migrate,
};
