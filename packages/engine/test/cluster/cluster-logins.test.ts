import { redisAvailable, startThrowawayRedis, type ThrowawayRedis } from '@leviathan/test-support';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClusterLogins } from '../../src/cluster/cluster-logins.js';
import { NodeMembership } from '../../src/cluster/node-membership.js';
import { openRedis } from '../../src/cluster/redis-client.js';

let redis: ThrowawayRedis;
const clients: Redis[] = [];
const members: NodeMembership[] = [];
let cluster = 0;

async function node(name: string) {
  const client = await openRedis({ url: redis.url, commandTimeoutMs: 300 });
  clients.push(client);
  const membership = new NodeMembership({
    redis: client,
    cluster: `l${cluster}`,
    node: name,
    info: { address: `${name}:7777`, startedAt: '2026-12-05T00:00:00.000Z' },
    ttlMs: 1500,
  });
  members.push(membership);
  await membership.join();
  return { membership, logins: new ClusterLogins(client, `l${cluster}`, name), client };
}

describe.skipIf(!redisAvailable())('names and resume tokens across the cluster, on a real Redis', () => {
  beforeAll(async () => {
    redis = await startThrowawayRedis();
  });
  afterEach(async () => {
    cluster++;
    await Promise.all(members.splice(0).map((m) => m.leave().catch(() => {})));
    for (const c of clients.splice(0)) c.disconnect();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('keeps a name with a draining node until it lets go, and frees it once that node left', async () => {
    const a = await node('node-a');
    const b = await node('node-b');
    expect(await a.logins.claim('alice')).toBeUndefined();
    await a.membership.drain();
    // Draining, node A may still be saving alice: B waits for it rather than load an old state.
    expect(await b.logins.claim('alice')).toBe('node-a');
    await a.membership.leave();
    expect(await b.logins.claim('alice')).toBeUndefined();
  });

  it('resumes with the latest token only, once, and never keeps the token itself', async () => {
    const a = await node('node-a');
    const b = await node('node-b');
    await a.logins.rememberResume('alice', 'first-token');
    await a.logins.rememberResume('alice', 'second-token');
    expect(await b.logins.consumeResume('alice', 'first-token')).toBe(false);
    const stored = await a.client.get(`lev:l${cluster}:resume:{alice}`);
    expect(stored).not.toBeNull();
    expect(stored).not.toContain('second-token');
    expect(await b.logins.consumeResume('alice', 'second-token')).toBe(true);
    expect(await b.logins.consumeResume('alice', 'second-token')).toBe(false);
  });

  it('lets an ended session resume for the grace period, unless a newer token replaced it', async () => {
    const a = await node('node-a');
    const b = await node('node-b');
    await a.logins.rememberResume('alice', 'old');
    await a.logins.expireResume('alice', 'old', 200);
    expect(await a.client.pttl(`lev:l${cluster}:resume:{alice}`)).toBeLessThanOrEqual(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(await b.logins.consumeResume('alice', 'old')).toBe(false);
    // Node B took alice over and issued its own token; node A's late expiry of the old one is void.
    await b.logins.rememberResume('alice', 'newer');
    await a.logins.expireResume('alice', 'old', 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(await b.logins.consumeResume('alice', 'newer')).toBe(true);
  });
});
