/**
 * Entry of a shard worker thread: loads the game, runs the tick loop, talks to the gateways over
 * direct MessagePorts and to main over parentPort. See ShardRuntime for the game side.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import type { JsonValue } from '@leviathan/protocol';
import { Registry } from 'prom-client';
import type { JobRunner } from '../game/context.js';
import type { InputBatch } from '../ipc/batches.js';
import type { MainToShard, ShardToMain, ShardWorkerData } from '../ipc/control.js';
import { EVENT_LOOP_RESOLUTION_MS } from '../ipc/event-loop-sampling.js';
import { Heartbeat } from '../ipc/heartbeat.js';
import type { JobPool } from '../jobs/job-pool.js';
import { createShardJobPool } from '../jobs/shard-job-pool.js';
import { createLogger } from '../logging/logger.js';
import { collectThreadMetrics } from '../metrics/aggregate-metrics.js';
import { createThreadMetrics } from '../metrics/thread-metrics.js';
import { loadGame } from './load-game.js';
import { ShardMetrics } from './shard-metrics.js';
import { ShardRuntime } from './shard-runtime.js';
import { epochNow, TickLoop } from './tick-loop.js';

type Queued = { k: 'input'; gateway: number; ops: unknown[] } | MainToShard;

const data = workerData as ShardWorkerData;
const port = parentPort!;
const log = createLogger({
  level: data.logLevel as never,
  bindings: { thread: `shard-${data.index}`, shard: data.index },
});
const heartbeat = new Heartbeat(data.heartbeat);
const post = (msg: ShardToMain): void => port.postMessage(msg);

// Everything that arrives between ticks waits here, in arrival order, and runs at the next tick.
let queue: Queued[] = [];
const gatewayPorts: Array<MessagePort | undefined> = [];

async function main(): Promise<void> {
  const game = await loadGame(data.game, data.gameOptions as JsonValue | undefined);
  const registry = new Registry();
  const threadMetrics = createThreadMetrics(registry, {
    thread: `shard-${data.index}`,
    eventLoopResolutionMs: EVENT_LOOP_RESOLUTION_MS,
  });
  const metrics = new ShardMetrics(threadMetrics, data.index);
  // The job pool starts on first use (most games never run a job; idle piscina threads cost
  // memory), with this shard's share of `jobs.maxThreads`.
  let pool: JobPool | undefined;
  const jobs: JobRunner = {
    run: <I, O>(task: string | URL, input: I): Promise<O> => {
      pool ??= createShardJobPool({ jobs: data.jobs, shards: data.count }, threadMetrics);
      return pool.run<I, O>(task, input);
    },
  };
  const runtime = new ShardRuntime({
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
    onShutdownRequest: (reason) => post({ k: 'shutdown-request', reason }),
  });
  let draining = false;

  const loop = new TickLoop({
    hz: data.tickHz,
    onTick: (tick, now, dt) => {
      runtime.beginTick(tick, now, dt);
      const items = queue;
      queue = [];
      for (const item of items) {
        switch (item.k) {
          case 'input':
            runtime.applyInput(item.gateway, item.ops);
            break;
          case 'adopt':
            runtime.adopt(item.players);
            break;
          case 'forward':
            runtime.applyInput(item.gateway, item.ops, true);
            break;
          case 'directory':
            runtime.applyDirectory(item.upsert, item.remove);
            break;
          default:
            break;
        }
      }
      runtime.runSystems();
      const next = loop.nextTickAt;
      for (let g = 0; g < data.gateways; g++) {
        const out = runtime.takeOutput(g, next, loop.periodMs);
        if (out !== null) gatewayPorts[g]?.postMessage(out);
      }
      const state = runtime.takeState();
      if (state !== null) post({ k: 'state', batch: state });
      const end = epochNow();
      heartbeat.beat(data.index, tick, end);
      metrics.observeTick((end - now) / 1000, runtime.playerCount);
    },
    onOverrun: () => {
      heartbeat.addOverrun(data.index);
      metrics.overrun();
      // The schedule moved: the gateways must learn the new phase to flush input in time.
      runtime.syncPhase();
    },
  });

  port.on('message', (msg: MainToShard) => {
    switch (msg.k) {
      case 'attach-gateway':
        gatewayPorts[msg.gateway]?.close();
        gatewayPorts[msg.gateway] = msg.port;
        msg.port.on('message', (batch: InputBatch) => {
          if (!draining) queue.push({ k: 'input', gateway: batch.gateway, ops: batch.ops });
        });
        runtime.syncPhase(msg.gateway);
        break;
      case 'metrics':
        collectThreadMetrics(registry).then(
          (snapshot) => post({ k: 'metrics', id: msg.id, data: snapshot }),
          () => post({ k: 'metrics', id: msg.id, data: [] }),
        );
        break;
      case 'drain': {
        draining = true;
        loop.stop();
        // Apply what already arrived (commands typed before the shutdown still count), then leave.
        runtime.beginTick(loop.tick + 1, epochNow(), loop.periodMs);
        for (const item of queue)
          if (item.k === 'input' || item.k === 'forward')
            runtime.applyInput(item.gateway, item.ops, item.k === 'forward');
        queue = [];
        runtime.drain();
        for (let g = 0; g < data.gateways; g++) {
          const out = runtime.takeOutput(g, 0, loop.periodMs);
          if (out !== null) gatewayPorts[g]?.postMessage(out);
        }
        post({ k: 'drained', batch: runtime.takeState() });
        break;
      }
      case 'stop':
        loop.stop();
        void pool?.close({ force: true });
        heartbeat.setUp(data.index, false);
        threadMetrics.close();
        for (const p of gatewayPorts) p?.close();
        port.close();
        break;
      default:
        queue.push(msg);
    }
  });

  heartbeat.setUp(data.index, true);
  loop.start();
  post({ k: 'ready' });
  log.debug(
    { zones: [...runtime.zones.keys()], restored: data.restore?.players.length ?? 0 },
    'shard started',
  );
}

main().catch((err: unknown) => {
  post({
    k: 'fatal',
    message: err instanceof Error ? err.message : String(err),
    stack: err instanceof Error ? err.stack : undefined,
  });
  // Let the error end the thread: the supervisor sees the exit and decides.
  throw err;
});
