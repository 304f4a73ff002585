import type { Redis, RedisOptions } from 'ioredis';
import { redactUrl } from '../config/redact-config.js';
import { ClusterUnavailableError } from '../errors.js';

export interface RedisClientOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://` for TLS. */
  readonly url: string;
  /**
   * How long one command may wait for its reply before it fails as unavailable. Lease renewals run
   * on a third of the lease, so this must stay well under it. @default 1000
   */
  readonly commandTimeoutMs?: number;
  /** How long a connection attempt may take. @default 2000 */
  readonly connectTimeoutMs?: number;
}

/**
 * Opens an ioredis client for the cluster's coordination, loaded on first use so that a single
 * node (no Redis) never loads it.
 *
 * The options favour failing fast over waiting: with the offline queue off, a command issued while
 * the connection is down fails at once instead of being sent, late, after a reconnect. A lease
 * renewal that arrives seconds late is worse than one that fails, because the node's own clock
 * decides when its leases end (lease-keeper.ts). The client keeps reconnecting in the background,
 * backing off to one attempt a second.
 */
export async function openRedis(options: RedisClientOptions): Promise<Redis> {
  const { Redis: RedisClient } = await import('ioredis');
  const redisOptions: RedisOptions = {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 1000),
  };
  const client = new RedisClient(options.url, redisOptions);
  // Without a listener ioredis prints every failed reconnect; outages reach callers as errors.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new ClusterUnavailableError(`cannot connect to Redis at ${redactUrl(options.url)}`, {
      cause: error,
    });
  }
  return client;
}

/** A failed Redis call as a ClusterUnavailableError (connection refused, closed, timed out). */
export function unavailable(operation: string, error: unknown): ClusterUnavailableError {
  if (error instanceof ClusterUnavailableError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ClusterUnavailableError(`${operation}: ${message}`, { cause: error });
}

/**
 * A second connection of `redis` for SUBSCRIBE, without ioredis's own resubscription: that one
 * sends SUBSCRIBE from its reconnect handler and drops the promise, so when the connection breaks
 * again at that moment the command fails at once (the offline queue is off, above) and the
 * rejection goes unhandled ("Stream isn't writeable and enableOfflineQueue options is false",
 * seen in CI while a test stopped and restarted Redis). `subscribeAcrossReconnects` does it instead.
 */
export function duplicateForSubscribe(redis: Redis): Redis {
  const subscriber = redis.duplicate({ autoResubscribe: false });
  subscriber.on('error', () => {});
  return subscriber;
}

/**
 * Connects `subscriber` (from `duplicateForSubscribe`) if it is not yet, subscribes to `channel`,
 * and subscribes again each time the connection is ready after a reconnect; a resubscription that
 * fails (the connection broke again) waits for the next one.
 */
export async function subscribeAcrossReconnects(subscriber: Redis, channel: string): Promise<void> {
  if (subscriber.status === 'wait') await subscriber.connect();
  await subscriber.subscribe(channel);
  subscriber.on('ready', () => {
    subscriber.subscribe(channel).catch(() => {});
  });
}
