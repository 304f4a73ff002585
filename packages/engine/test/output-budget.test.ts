import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOW_BUDGET_BYTES } from '../src/gateway/socket-writer.js';
import type { LeviathanServer } from '../src/index.js';
import { LOW_BYTES_PER_TICK, LOW_PER_TICK } from '../src/shard/fan-out.js';
import { metricValue } from './helpers/prometheus-text.js';
import { startServer } from './helpers/start-server.js';
import { TestClient } from './helpers/test-client.js';
import { TRANSPORTS } from './helpers/transports.js';

// The output budgets for low-priority messages, end to end: a player's per tick in the shard, a
// socket's in the gateway, and what they shed in leviathan_messages_dropped_total{reason}.

describe.each(TRANSPORTS)('output budgets (%s transport)', (transport) => {
  let server: LeviathanServer;
  let port: number;

  beforeAll(async () => {
    ({ server, port } = await startServer({ transport }));
  });

  afterAll(async () => {
    await server?.close();
  });

  async function dropped(reason: string): Promise<number> {
    return metricValue(await server.metrics(), 'leviathan_messages_dropped_total', { reason }) ?? 0;
  }

  /** Spam lines the client got (after the reply to `line` came, so everything of its tick is in). */
  async function spamLines(client: TestClient, line: string): Promise<number> {
    const before = client.messages.length;
    await client.command(line);
    // The reply left in the same batch as the spam, after it.
    return client.messages.slice(before).filter((m) => m.type === 'text' && m.channel === 'spam').length;
  }

  it('shows every reason of leviathan_messages_dropped_total from the start', async () => {
    for (const reason of ['tick_budget', 'socket_budget', 'congested'])
      expect(metricValue(await server.metrics(), 'leviathan_messages_dropped_total', { reason })).toBe(0);
  });

  it(`sends a player at most ${LOW_PER_TICK} low-priority messages or ${LOW_BYTES_PER_TICK / 1024} KiB a tick, and counts the rest`, async () => {
    const client = await TestClient.login(port, 'budgeted');
    expect(await spamLines(client, 'spam 40 100 low')).toBe(LOW_PER_TICK);
    expect(await dropped('tick_budget')).toBe(40 - LOW_PER_TICK);
    // 2,000 characters and the JSON around them: four fit in the bytes of a tick.
    const fit = Math.floor(LOW_BYTES_PER_TICK / 2040);
    expect(await spamLines(client, 'spam 10 2000 low')).toBe(fit);
    expect(await dropped('tick_budget')).toBe(40 - LOW_PER_TICK + 10 - fit);
    // Normal priority is never budgeted.
    expect(await spamLines(client, 'spam 40 100')).toBe(40);
    client.close();
  });

  it(`sheds low-priority output past a socket's budget (${LOW_BUDGET_BYTES / 1024} KiB), normal output never`, async () => {
    const client = await TestClient.login(port, 'flooded');
    // The first low-priority message of a tick passes the shard's budget whatever its size; the
    // socket's budget takes none larger than itself.
    const size = LOW_BUDGET_BYTES + 1024;
    expect(await spamLines(client, `spam 1 ${size} low`)).toBe(0);
    expect(await dropped('socket_budget')).toBe(1);
    expect(await spamLines(client, `spam 1 ${size}`)).toBe(1);
    client.close();
  });
});
