import { setTimeout as sleep } from 'node:timers/promises';
import {
  redisAvailable,
  startThrowawayCluster,
  startThrowawayRedis,
  type ThrowawayCluster,
  type ThrowawayRedis,
} from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MudClient } from '../../../mud/test/helpers/mud-client.js';
import { TestClient } from '../helpers/test-client.js';
import { killAll, type NodeProcess, startNodes } from './helpers/node-process.js';

const DEADLINE_MS = 3000;
/** Players per node: enough logouts that one save try each would outlast the deadline (it did). */
const CROWD = 400;

/**
 * A cluster whose Postgres and Redis stop while its nodes shut down (an operator stopping the
 * whole stack at once, a host going down): each node's final saves and its leave of the cluster
 * cannot finish, and the shutdown leaves them behind at its deadline. The process must still end:
 * a connection retrying for ever must not keep a node up after its shutdown is done, nor may its
 * players' logout saves queue one failing database connection each (with 400 players per node,
 * both kept a node up long after its deadline). The hang depends on how the final saves race the
 * database's going away: without the fixes, this test failed in 4 of 8 runs, not every one.
 */
describe.skipIf(!redisAvailable())('nodes stopping while their Postgres and Redis go away', () => {
  let redis: ThrowawayRedis;
  let postgres: ThrowawayCluster;
  const nodes: NodeProcess[] = [];

  beforeAll(async () => {
    redis = await startThrowawayRedis();
    postgres = await startThrowawayCluster();
    const flags = ['--shutdown-deadline-ms', String(DEADLINE_MS)];
    const options = { cluster: 'outage-stop', storeUrl: postgres.url, redisUrl: redis.url, flags };
    await startNodes(['tide-1', 'tide-2', 'tide-3'], options, nodes);
  }, 120_000);
  afterAll(async () => {
    await killAll(nodes.map((n) => n.child));
    await redis?.stop();
    postgres?.stop();
  });

  it('exits within its shutdown deadline', async () => {
    // A crowd on each node, in harbor (where players start), so most play in a zone of another
    // node; and one walker with state to save, on the cliff road.
    const harbor = nodes.find((n) => n.zones.has('harbor'))!;
    const other = nodes.find((n) => n !== harbor)!;
    const ada = await MudClient.login(other.url, 'ada');
    const bo = await MudClient.login(harbor.url, 'bo');
    await bo.walk('e', 'e');
    expect((await bo.cmd('look')).text).toContain('The Cliff Road');
    expect((await ada.cmd('look')).text).toContain('Fishmarket');
    const crowd: TestClient[] = [];
    for (const [i, node] of nodes.entries())
      for (let n = 0; n < CROWD; n += 50)
        crowd.push(
          ...(await Promise.all(
            Array.from({ length: 50 }, (_, j) => TestClient.login(node.port, `c${i}x${n + j}`)),
          )),
        );

    const stopped = performance.now();
    for (const n of nodes) n.child.kill('SIGTERM');
    await sleep(500);
    await redis.stop();
    postgres.stop();
    const took = await Promise.all(
      nodes.map((n) =>
        Promise.race([n.exited.then(() => performance.now() - stopped), sleep(30_000).then(() => Infinity)]),
      ),
    );
    // The deadline, the CLI's guard past it (2 s) and the second it lets the process linger.
    for (const ms of took) expect(ms).toBeLessThan(DEADLINE_MS + 2000 + 1000 + 2000);
    ada.close();
    bo.close();
    for (const client of crowd) client.close();
  }, 120_000);
});
