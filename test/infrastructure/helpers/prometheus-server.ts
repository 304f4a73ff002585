import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '@leviathan/test-support';

export interface PrometheusServer {
  readonly url: string;
  readonly port: number;
  /** What the server wrote on stderr so far (its log), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}
/** A real Alertmanager: the same handle as Prometheus's. */
export type AlertmanagerServer = PrometheusServer;

/**
 * Spawns a server that listens on 127.0.0.1:`port`, keeping its stderr (its log) for failure
 * messages; `env` is added to this process's environment.
 */
function startServer(
  command: string,
  args: string[],
  cwd: string,
  port: number,
  env: Record<string, string> = {},
): PrometheusServer {
  const child: ChildProcess = spawn(command, args, {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (log.length < 100_000) log += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    log: () => log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Starts the real `prometheus` binary on a loopback port (a free one unless given) with `configDir/prometheus.yml`
 * and a storage directory under `configDir`, and `flags` after the others. Readiness is the caller's
 * to wait for (`ready()`).
 */
export async function startPrometheus(
  configDir: string,
  port?: number,
  flags: readonly string[] = [],
): Promise<PrometheusServer> {
  port ??= await freePort();
  return startServer(
    'prometheus',
    [
      `--config.file=${join(configDir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(configDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
      ...flags,
    ],
    configDir,
    port,
  );
}

/**
 * Starts Debian's `prometheus-alertmanager` on a free loopback port with `configDir/alertmanager.yml`
 * and its silences and notification log under `configDir`. Gossip is off (an empty
 * --cluster.listen-address): a single Alertmanager, and no second port to collide on. Readiness
 * (GET /-/ready) is the caller's to wait for.
 */
export async function startAlertmanager(configDir: string): Promise<AlertmanagerServer> {
  const port = await freePort();
  return startServer(
    'prometheus-alertmanager',
    [
      `--config.file=${join(configDir, 'alertmanager.yml')}`,
      `--storage.path=${join(configDir, 'alertmanager-data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    configDir,
    port,
  );
}

/**
 * Calls `probe` until it returns a value other than `undefined`, at most `timeoutMs`; the interval
 * grows from 100 ms to 1 s. Errors of `probe` count as "not yet" (the last one is reported).
 */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 100;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() + delay > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError });
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(1000, delay * 2);
  }
}

/**
 * Starts Debian's `prometheus-node-exporter` on a free loopback port: the host meters of the board
 * (CPU, memory, the root filesystem, network) read this machine.
 */
export async function startNodeExporter(cwd: string): Promise<PrometheusServer> {
  const port = await freePort();
  return startServer(
    'prometheus-node-exporter',
    [`--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    cwd,
    port,
  );
}

/**
 * Starts Debian's `prometheus-postgres-exporter` on a free loopback port, reading the Postgres at
 * `databaseUrl` (its default metrics: pg_up, pg_stat_database_*, pg_locks_count, pg_settings_*).
 */
export async function startPostgresExporter(cwd: string, databaseUrl: string): Promise<PrometheusServer> {
  const port = await freePort();
  const dsn = new URL(databaseUrl);
  if (!dsn.searchParams.has('sslmode')) dsn.searchParams.set('sslmode', 'disable');
  return startServer(
    'prometheus-postgres-exporter',
    [`--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    cwd,
    port,
    { DATA_SOURCE_NAME: dsn.toString() },
  );
}
