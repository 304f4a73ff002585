/**
 * `leviathan-pve-exporter`: the Proxmox exporter as a command, for a systemd unit. The API token is
 * read from the environment only (`PROXMOX_VE_API_TOKEN`, the variable Terraform's bpg/proxmox
 * provider reads too), never from a flag: arguments are visible to every user in `ps`.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ProxmoxClient } from '../client.js';
import { createPveExporter } from './exporter.js';

export const PVE_EXPORTER_USAGE = `Usage: leviathan-pve-exporter [options]

Serves Proxmox VE node, storage and guest metrics for Prometheus at /metrics (and /healthz).

Options:
  --pve-url <url>          Proxmox API, e.g. https://pve1.example.com:8006 (env PROXMOX_VE_ENDPOINT)
  --listen <host:port>     Address to serve on (default 127.0.0.1:9221)
  --timeout-ms <ms>        Time limit of one read of the Proxmox API (default 8000)
  --ca-file <path>         Trust this PEM CA (the cluster's pve-root-ca.pem) instead of the system's
  --fingerprint <sha256>   Pin the node's certificate (as \`pvenode cert info\` shows it)
  --insecure-tls           Accept any certificate (throwaway labs only)
  -h, --help               Show this help

Environment:
  PROXMOX_VE_API_TOKEN     user@realm!tokenid=secret (required; a PVEAuditor token is enough)
  PROXMOX_VE_ENDPOINT      Default for --pve-url
`;

export interface PveExporterCliConfig {
  readonly pveUrl: string;
  readonly tokenId: string;
  readonly secret: string;
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
  readonly tls: { ca?: string; fingerprint?: string; insecure?: boolean };
}

/** A usage error: the message and the usage go to stderr, exit code 2. */
export class PveExporterUsageError extends Error {}

/** Reads flags and environment into a configuration, or throws PveExporterUsageError. */
export function parsePveExporterArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): PveExporterCliConfig | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'pve-url': { type: 'string' },
        listen: { type: 'string', default: '127.0.0.1:9221' },
        'timeout-ms': { type: 'string', default: '8000' },
        'ca-file': { type: 'string' },
        fingerprint: { type: 'string' },
        'insecure-tls': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new PveExporterUsageError((err as Error).message);
  }
  if (values.help) return 'help';
  const pveUrl = (values['pve-url'] as string | undefined) ?? env.PROXMOX_VE_ENDPOINT;
  if (!pveUrl) throw new PveExporterUsageError('no Proxmox URL: pass --pve-url or set PROXMOX_VE_ENDPOINT');
  const token = env.PROXMOX_VE_API_TOKEN ?? '';
  // The token id never contains '=' and the secret is a UUID: the first '=' separates them.
  const eq = token.indexOf('=');
  if (eq <= 0 || eq === token.length - 1) {
    throw new PveExporterUsageError('PROXMOX_VE_API_TOKEN must be set to user@realm!tokenid=secret');
  }
  const listen = String(values.listen);
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(listen);
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw new PveExporterUsageError(`--listen must be host:port, got ${listen}`);
  const timeoutMs = Number(values['timeout-ms']);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new PveExporterUsageError(`--timeout-ms must be a positive integer, got ${values['timeout-ms']}`);
  }
  const caFile = values['ca-file'] as string | undefined;
  const fingerprint = values.fingerprint as string | undefined;
  return {
    pveUrl,
    tokenId: token.slice(0, eq),
    secret: token.slice(eq + 1),
    host: m[1] ?? m[2] ?? '127.0.0.1',
    port,
    timeoutMs,
    tls: {
      ...(caFile ? { ca: readFileSync(caFile, 'utf8') } : {}),
      ...(fingerprint ? { fingerprint } : {}),
      ...(values['insecure-tls'] ? { insecure: true } : {}),
    },
  };
}

/** Runs the exporter until SIGTERM or SIGINT; resolves with the process exit code. */
export async function runPveExporter(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  let config: PveExporterCliConfig | 'help';
  try {
    config = parsePveExporterArgs(argv, env);
  } catch (err) {
    if (!(err instanceof PveExporterUsageError) && (err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw err;
    log(`leviathan-pve-exporter: ${(err as Error).message}\n\n${PVE_EXPORTER_USAGE}`);
    return 2;
  }
  if (config === 'help') {
    process.stdout.write(PVE_EXPORTER_USAGE);
    return 0;
  }
  // One attempt less than the client's default: a scrape has seconds, not a minute, to answer.
  const client = new ProxmoxClient({
    baseUrl: config.pveUrl,
    auth: { type: 'token', tokenId: config.tokenId, secret: config.secret },
    tls: config.tls,
    timeoutMs: config.timeoutMs,
    retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
  });
  const exporter = await createPveExporter({
    client,
    host: config.host,
    port: config.port,
    timeoutMs: config.timeoutMs,
    log,
  });
  log(`pve-exporter: serving ${exporter.url}/metrics for ${config.pveUrl} as ${config.tokenId}`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  await exporter.close();
  await client.close();
  log('pve-exporter: stopped');
  return 0;
}
