import type { ConfigIssue, ConfigSourceKind } from '../errors.js';

/** One option's resolved value and where it came from (for error messages). */
export interface ResolvedEntry {
  value: unknown;
  source: ConfigSourceKind;
  origin: string;
}

/** Rules that involve several options. */
export function checkTogether(
  values: Map<string, ResolvedEntry>,
  env: Readonly<Record<string, string | undefined>>,
  issues: ConfigIssue[],
): void {
  const get = (key: string): ResolvedEntry => values.get(key)!;

  const key = get('tls.keyFile');
  const cert = get('tls.certFile');
  if ((key.value === undefined) !== (cert.value === undefined)) {
    const set = key.value === undefined ? cert : key;
    issues.push({
      key: key.value === undefined ? 'tls.keyFile' : 'tls.certFile',
      message: 'TLS needs both tls.keyFile and tls.certFile',
      source: set.source,
      origin: set.origin,
    });
  }

  const shards = get('shards').value as number;
  const zones = get('zoneShards');
  for (const [zone, shard] of Object.entries(zones.value as Record<string, number>)) {
    if (shard >= shards) {
      issues.push({
        key: 'zoneShards',
        message: `zone "${zone}" is placed on shard ${shard}, but there are ${shards} shards (0 to ${shards - 1})`,
        source: zones.source,
        origin: zones.origin,
      });
    }
  }

  const redis = get('cluster.redisUrl');
  const storeKind = get('store.kind');
  if (redis.value !== undefined && !/^rediss?:\/\//.test(String(redis.value))) {
    issues.push({
      key: 'cluster.redisUrl',
      message: 'must be a redis:// or rediss:// URL',
      source: redis.source,
      origin: redis.origin,
    });
  }
  if (redis.value !== undefined && storeKind.value !== 'postgres') {
    issues.push({
      key: 'cluster.redisUrl',
      message: `a cluster's nodes share their store: set store.kind to postgres (it is ${String(storeKind.value)})`,
      source: redis.source,
      origin: redis.origin,
    });
  }

  const ring = get('inputRingBytes');
  const ringBytes = ring.value as number;
  if ((ringBytes & (ringBytes - 1)) !== 0) {
    issues.push({
      key: 'inputRingBytes',
      message: `must be a power of two, such as ${2 ** Math.round(Math.log2(ringBytes))}`,
      source: ring.source,
      origin: ring.origin,
    });
  }

  const mode = get('auth.mode');
  if (mode.value === 'hmac') {
    const secretEnv = get('auth.hmacSecretEnv').value as string;
    const secret = env[secretEnv];
    if (secret === undefined || secret === '') {
      issues.push({
        key: 'auth.mode',
        message: `is "hmac" but the environment variable ${secretEnv} (auth.hmacSecretEnv) holding the secret is not set; set it to 32 bytes or more of random text, or pick another mode (--dev-auth for local play only)`,
        source: mode.source,
        origin: mode.origin,
      });
    } else if (Buffer.byteLength(secret) < 32) {
      issues.push({
        key: 'auth.hmacSecretEnv',
        message: `the secret in ${secretEnv} is ${Buffer.byteLength(secret)} bytes; it needs at least 32`,
        source: 'env',
        origin: `environment variable ${secretEnv}`,
      });
    }
  }

  const kind = get('store.kind');
  if (kind.value === 'postgres' && get('store.url').value === undefined) {
    issues.push({
      key: 'store.url',
      message: 'is required when store.kind is "postgres" (set LEVIATHAN_STORE_URL)',
      source: kind.source,
      origin: kind.origin,
    });
  }
}
