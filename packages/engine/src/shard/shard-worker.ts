/**
 * Entry of a shard worker thread: loads the game, runs the tick loop over a Shard, receives input
 * batches from the gateways and sends them output batches over direct ports, and talks to main
 * over the control link (ipc/shard-link.ts).
 */
import { createHistogram } from 'node:perf_hooks';
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import type { JsonValue } from '@leviathan/protocol';
import { Registry } from 'prom-client';
import type { JobRunner } from '../game/context.js';
import { Heartbeat } from '../ipc/heartbeat.js';
import { RpcLink } from '../ipc/rpc.js';
import type { MainForShardApi, ShardApi, ShardWorkerData } from '../ipc/shard-link.js';
import type { JobPool } from '../jobs/job-pool.js';
import { createShardJobPool } from '../jobs/shard-job-pool.js';
import { createLogger } from '../logging/logger.js';
import { collectThreadMetrics } from '../metrics/aggregate-metrics.js';
import { createThreadMetrics } from '../metrics/thread-metrics.js';
import { loadGame } from './load-game.js';
import { sendTick } from './send-tick.js';
import { Shard, type TickResult } from './shard.js';
import { ShardMetrics } from './shard-metrics.js';
import { epochNow, TickLoop } from './tick-loop.js';

const data = workerData as ShardWorkerData;
const log = createLogger({
  level: data.logLevel as never,
  bindings: { thread: `shard-${data.index}`, shard: data.index },
});
const heartbeat = new Heartbeat(data.heartbeat);
const gatewayPorts: Array<MessagePort | undefined> = [];
// Serves main once the game is loaded (main sends nothing before `ready`).
const link = new RpcLink<ShardApi, MainForShardApi>(parentPort!, 'main', (err, context) =>
  log.error({ err, context }, 'control message failed'),
);

async function main(): Promise<void> {
  const game = await loadGame(data.game, data.gameOptions as JsonValue | undefined);
  const registry = new Registry();
  // The loop's delay is how late each tick starts: measured every tick, with no timer of its own.
  const delays = createHistogram();
  const threadMetrics = createThreadMetrics(registry, {
    thread: `shard-${data.index}`,
    eventLoopDelays: delays,
  });
  const metrics = new ShardMetrics(threadMetrics, data.index, delays);
  // The job pool starts on first use (most games never run a job; idle piscina threads cost
  // memory), with this shard's share of `jobs.maxThreads`.
  let pool: JobPool | undefined;
  const jobs: JobRunner = {
    run: <I, O>(task: string | URL, input: I): Promise<O> => {
      pool ??= createShardJobPool({ jobs: data.jobs, shards: data.count }, threadMetrics);
      return pool.run<I, O>(task, input);
    },
  };
  const shard = new Shard({
    jobs,
    index: data.index,
    count: data.count,
    gateways: data.gateways,
    game,
    gameOptions: data.gameOptions,
    zoneMap: data.zoneMap,
    log,
    restore: data.restore,
    directory: data.directory,
    now: epochNow,
    onShutdownRequest: (reason) => link.notify('shutdownRequest', reason),
  });

  // Zone changes answered after the tick that applies them sent its batch.
  let afterTick: Array<() => void> = [];
  const destinations = { main: link, gateways: gatewayPorts };
  const send = (result: TickResult): void => sendTick(result, destinations);

  const loop = new TickLoop({
    hz: data.tickHz,
    onTick: (tick, now, dt, late) => {
      send(shard.tick(tick, now, dt));
      if (afterTick.length > 0) {
        const done = afterTick;
        afterTick = [];
        for (const answer of done) answer();
      }
      const end = epochNow();
      heartbeat.beat(data.index, tick, end);
      metrics.observeTick((end - now) / 1000, late);
    },
    onOverrun: () => {
      heartbeat.addOverrun(data.index);
      metrics.overrun();
    },
  });

  link.serve({
    attachGateway({ gateway, port, ring }) {
      // Output goes out on the port; input comes in through the ring, read at each tick.
      gatewayPorts[gateway]?.close();
      gatewayPorts[gateway] = port;
      shard.attachInputRing(gateway, ring);
    },
    adopt: (players) => shard.receiveAdopt(players),
    forward: ({ gateway, ops }) => shard.receiveInput(gateway, ops, true),
    directory: ({ upsert, remove }) => shard.receiveDirectory(upsert, remove),
    shardMessages: (messages) => shard.receiveShardMessages(messages),
    zones: (change) =>
      new Promise<void>((resolve) => {
        shard.receiveZones(change);
        afterTick.push(resolve);
      }),
    metrics: () => {
      metrics.sync(shard.playerCount, shard.zones.values());
      metrics.syncDropped(shard.fanOut.droppedLow);
      return collectThreadMetrics(registry);
    },
    drain() {
      loop.stop();
      const result = shard.drain(loop.tick + 1, epochNow(), loop.periodMs);
      for (let g = 0; g < result.outputs.length; g++) {
        const out = result.outputs[g];
        if (out !== null && out !== undefined) gatewayPorts[g]?.postMessage(out);
      }
      return result.state;
    },
    stop() {
      loop.stop();
      void pool?.close({ force: true });
      heartbeat.setUp(data.index, false);
      threadMetrics.close();
      for (const p of gatewayPorts) p?.close();
      link.close();
      parentPort?.close();
    },
  });

  heartbeat.setUp(data.index, true);
  // Loading the game and restoring the zones is not a late tick.
  threadMetrics.restartLoopDelays();
  loop.start();
  link.notify('ready');
  log.debug({ zones: [...shard.zones.keys()], restored: data.restore.players.length }, 'shard started');
}

main().catch((err: unknown) => {
  link.notify('fatal', {
    message: err instanceof Error ? err.message : String(err),
    ...(err instanceof Error && err.stack !== undefined ? { stack: err.stack } : {}),
  });
  // Let the error end the thread: the supervisor sees the exit and decides.
  throw err;
});
