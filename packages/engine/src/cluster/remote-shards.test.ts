import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger.js';
import { RemoteShards } from './remote-shards.js';

function shards() {
  const kicked: string[] = [];
  const released: string[] = [];
  const remote = new RemoteShards({
    node: 'here',
    localShards: 1,
    pollMs: 10,
    gateways: { connectShard: () => {}, kick: (name) => kicked.push(name) },
    send: () => {},
    released: (name) => released.push(name),
    log: createLogger({ level: 'silent' }),
  });
  return { remote, kicked, released };
}

describe('the players of this node in other nodes’ shards', () => {
  it('frees a name when the node it played on says it left', () => {
    const { remote, released } = shards();
    remote.follow('b', 'ann', true);
    remote.left('b', ['ann']);
    expect(released).toEqual(['ann']);
  });

  it('keeps the name of a player carried to another node before the old node said it left', () => {
    const { remote, released, kicked } = shards();
    remote.follow('b', 'ann', true);
    // Her zone moved from b to c; she is carried to c's shard before b's word comes.
    remote.follow('c', 'ann', true);
    remote.left('b', ['ann']);
    expect(released).toEqual([]);
    // b goes away: ann, on c now, is not disconnected with b's players.
    remote.nodesChanged(new Set(['here', 'c']));
    expect(kicked).toEqual([]);
    // c goes away: she is.
    remote.nodesChanged(new Set(['here']));
    expect(kicked).toEqual(['ann']);
    expect(released).toEqual(['ann']);
  });

  it('frees the name of a player it lost track of (a handoff between two other nodes)', () => {
    const { remote, released } = shards();
    remote.left('c', ['bob']);
    expect(released).toEqual(['bob']);
  });
});
