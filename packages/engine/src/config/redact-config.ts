import type { EngineConfig } from './engine-config.js';

/**
 * A copy of the configuration that is safe to log: the passwords of `store.url` and `cluster.redisUrl` are replaced. The
 * configuration never holds the HMAC secret itself, only the name of its environment variable.
 */
export function redactConfig(config: EngineConfig): EngineConfig {
  const { url } = config.store;
  const { redisUrl } = config.cluster;
  if (url === undefined && redisUrl === undefined) return config;
  return {
    ...config,
    store: { ...config.store, url: url === undefined ? undefined : redactUrl(url) },
    cluster: { ...config.cluster, redisUrl: redisUrl === undefined ? undefined : redactUrl(redisUrl) },
  };
}

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`; unparseable URLs are hidden. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    for (const name of [...parsed.searchParams.keys()]) {
      if (/pass|secret|token|key/i.test(name)) parsed.searchParams.set(name, '***');
    }
    return parsed.toString();
  } catch {
    return '***';
  }
}
