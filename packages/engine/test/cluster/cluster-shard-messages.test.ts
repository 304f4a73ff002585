import {
  createTestDatabase,
  databaseUrl,
  redisAvailable,
  startThrowawayRedis,
  type TestDatabase,
  type ThrowawayRedis,
} from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MudClient } from '../../../mud/test/helpers/mud-client.js';
import { placeZones } from '../../src/cluster/zone-placement.js';
import { killAll, type NodeProcess, startNodes, ZONES } from './helpers/node-process.js';

/** Two node names that the placement gives harbor (where players start) and cliffs apart. */
function namesSplittingHarborAndCliffs(): [string, string] {
  for (let i = 0; i < 1000; i++) {
    const names: [string, string] = [`wave-${i}`, `wave-${i + 1}`];
    const owners = placeZones(ZONES, names);
    if (owners.get('harbor') !== owners.get('cliffs')) return names;
  }
  throw new Error('no names found');
}

/**
 * The game's messages between shards (`ctx.tellShards`) across two node processes of the Drowned
 * Coast on a real Redis and Postgres: a line of the MUD's `ooc` channel said in a zone of one node
 * is in the `ooc history` of a shard of the other, told over the cluster bus.
 */
describe.skipIf(!redisAvailable() || !databaseUrl())('messages between shards of two nodes', () => {
  let redis: ThrowawayRedis;
  let db: TestDatabase;
  const nodes: NodeProcess[] = [];
  const clients: MudClient[] = [];

  beforeAll(async () => {
    redis = await startThrowawayRedis();
    db = await createTestDatabase('cluster_shard_messages');
    await startNodes(
      namesSplittingHarborAndCliffs(),
      { cluster: 'messages', storeUrl: db.url, redisUrl: redis.url },
      nodes,
    );
  }, 120_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.closeAndWait()));
    await killAll(nodes.map((n) => n.child));
    await redis?.stop();
    await db?.drop();
  });

  it('puts a line said on one node in the ooc history read on the other', async () => {
    const owners = placeZones(
      ZONES,
      nodes.map((n) => n.name),
    );
    const harborNode = nodes.find((n) => n.name === owners.get('harbor'))!;
    const cliffsNode = nodes.find((n) => n.name === owners.get('cliffs'))!;
    // Each connected to the node that runs the zone it plays in: what a shard sends a player then
    // crosses the bus in the same order as what it tells the other node's shards.
    const ann = await MudClient.login(harborNode.url, 'ann');
    clients.push(ann);
    const carl = await MudClient.login(cliffsNode.url, 'carl');
    clients.push(carl);
    expect(await carl.walk('e', 'e')).toMatchObject({ zone: 'cliffs' });

    expect((await ann.cmd('ooc the tide is turning')).ok).toBe(true);
    await carl.next(
      (m) => m.type === 'text' && m.channel === 'ooc' && m.text === '[OOC] ann: the tide is turning',
      'ann on the ooc channel',
    );
    const annLine = { from: 'ann', text: 'the tide is turning', at: expect.any(Number) };
    expect((await carl.cmd('ooc history')).data).toEqual([annLine]);

    expect((await carl.cmd('ooc then I am off to the cliffs')).ok).toBe(true);
    await ann.next(
      (m) => m.type === 'text' && m.channel === 'ooc' && m.text === '[OOC] carl: then I am off to the cliffs',
      'carl on the ooc channel',
    );
    expect((await ann.cmd('ooc history')).data).toEqual([
      annLine,
      { from: 'carl', text: 'then I am off to the cliffs', at: expect.any(Number) },
    ]);
  });
});
