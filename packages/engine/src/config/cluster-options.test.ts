import { describe, expect, it } from 'vitest';
import { ConfigInvalidError } from '../errors.js';
import { redactConfig } from './redact-config.js';
import { resolveConfig } from './resolve-config.js';

const POSTGRES = { kind: 'postgres' as const, url: 'postgres://lev@127.0.0.1/lev' };

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigInvalidError);
    return (error as Error).message;
  }
  throw new Error('no error');
}

describe('cluster options', () => {
  it('leave a node a world of its own by default', () => {
    const config = resolveConfig({ auth: { mode: 'dev' } }, { env: {} });
    expect(config.cluster).toEqual({
      redisUrl: undefined,
      name: 'leviathan',
      node: undefined,
      leaseTtlMs: 3000,
    });
  });

  it('are read from the environment and flags like every option', () => {
    const config = resolveConfig(
      { auth: { mode: 'dev' }, store: POSTGRES },
      {
        env: { LEVIATHAN_CLUSTER_REDIS_URL: 'redis://10.0.0.5:6379' },
        argv: ['--cluster-node', 'game-2', '--cluster-lease-ttl-ms', '5000'],
      },
    );
    expect(config.cluster).toMatchObject({
      redisUrl: 'redis://10.0.0.5:6379',
      node: 'game-2',
      leaseTtlMs: 5000,
    });
  });

  it('refuse a cluster on a store its nodes cannot share, saying what to set', () => {
    const message = messageOf(() =>
      resolveConfig({ auth: { mode: 'dev' }, cluster: { redisUrl: 'redis://127.0.0.1:6379' } }, { env: {} }),
    );
    expect(message).toContain('cluster.redisUrl');
    expect(message).toContain('set store.kind to postgres (it is embedded)');
  });

  it('refuse a Redis URL of another scheme, and a lease below half a second', () => {
    expect(
      messageOf(() =>
        resolveConfig(
          { auth: { mode: 'dev' }, store: POSTGRES, cluster: { redisUrl: 'http://127.0.0.1:6379' } },
          { env: {} },
        ),
      ),
    ).toContain('must be a redis:// or rediss:// URL');
    expect(
      messageOf(() =>
        resolveConfig(
          { auth: { mode: 'dev' }, store: POSTGRES, cluster: { redisUrl: 'redis://h:1', leaseTtlMs: 100 } },
          { env: {} },
        ),
      ),
    ).toContain('cluster.leaseTtlMs');
  });

  it('keep the Redis password out of what is logged', () => {
    const config = resolveConfig(
      { auth: { mode: 'dev' }, store: POSTGRES, cluster: { redisUrl: 'redis://:hunter2@10.0.0.5:6379/0' } },
      { env: {} },
    );
    const safe = redactConfig(config);
    expect(safe.cluster.redisUrl).toBe('redis://:***@10.0.0.5:6379/0');
    expect(JSON.stringify(safe)).not.toContain('hunter2');
  });
});
