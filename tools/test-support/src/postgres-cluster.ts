import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A Postgres cluster started from the machine's binaries, owned by the test run. */
export interface ThrowawayCluster {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  stop(): void;
  /** Stops the server but keeps the data: for outage tests. */
  pause(): void;
  /** Starts a paused server again on the same port. */
  resume(): void;
}

const PG_ROOT = '/usr/lib/postgresql';

/** The newest `bin/` of the machine's Postgres installations, or undefined when there is none. */
export function findPostgresBin(): string | undefined {
  if (!existsSync(PG_ROOT)) return undefined;
  const versions = readdirSync(PG_ROOT)
    .filter((v) => existsSync(join(PG_ROOT, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  const newest = versions[0];
  return newest === undefined ? undefined : join(PG_ROOT, newest, 'bin');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** initdb refuses to run as root, so as root every Postgres binary runs as the `postgres` user. */
function runPg(bin: string, args: string[]): void {
  const [cmd, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const res = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (res.status !== 0) {
    throw new Error(`${bin} ${args.join(' ')} failed (${res.status}): ${res.stderr || res.stdout}`);
  }
}

/**
 * Starts a throwaway cluster (trust auth for the role `lev`, fsync off) on a free loopback port.
 * Measured here: initdb plus start in under a second.
 */
export async function startThrowawayCluster(): Promise<ThrowawayCluster> {
  const bin = findPostgresBin();
  if (!bin) throw new Error(`no Postgres binaries under ${PG_ROOT}: install the postgresql package`);
  const dataDir = mkdtempSync(join(tmpdir(), 'leviathan-pg-'));
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dataDir, uid, gid);
  }
  const port = await freePort();
  runPg(join(bin, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    'lev',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  const start = () =>
    runPg(join(bin, 'pg_ctl'), [
      '-D',
      dataDir,
      '-l',
      join(dataDir, 'server.log'),
      '-o',
      `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300`,
      '-w',
      'start',
    ]);
  const stopServer = () => {
    try {
      runPg(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
    } catch {
      // already stopped
    }
  };
  start();
  return {
    url: `postgres://lev@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    pause: stopServer,
    resume: start,
    stop() {
      stopServer();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
