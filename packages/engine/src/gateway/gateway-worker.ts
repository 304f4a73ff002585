/**
 * Entry of a gateway worker thread: one uWS App on the shared port. Talks to main over the control
 * link (ipc/gateway-link.ts: listening, logins, metrics, shutdown) and to every shard over a
 * direct port.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Registry } from 'prom-client';
import type { AuthVerifier } from '../auth/auth-verifier.js';
import { createAuthVerifier } from '../auth/create-auth-verifier.js';
import type { EngineConfig } from '../config/engine-config.js';
import { EVENT_LOOP_RESOLUTION_MS } from '../ipc/event-loop-sampling.js';
import type { GatewayApi, GatewayWorkerData, MainForGatewayApi } from '../ipc/gateway-link.js';
import { Heartbeat } from '../ipc/heartbeat.js';
import { RpcLink } from '../ipc/rpc.js';
import { createLogger } from '../logging/logger.js';
import { createThreadMetrics } from '../metrics/thread-metrics.js';
import { Gateway } from './gateway.js';
import { GatewayMetrics } from './gateway-metrics.js';
import { assertUwsUsable } from './uws.js';

const data = workerData as GatewayWorkerData;
const config = data.config as EngineConfig;
const log = createLogger({ level: config.log.level, bindings: { thread: `gateway-${data.index}` } });
const link = new RpcLink<GatewayApi, MainForGatewayApi>(parentPort!, 'main', (err, context) =>
  log.error({ err, context }, 'control message failed'),
);

async function main(): Promise<void> {
  const registry = new Registry();
  const threadMetrics = createThreadMetrics(registry, {
    thread: `gateway-${data.index}`,
    eventLoopResolutionMs: EVENT_LOOP_RESOLUTION_MS,
  });
  const metrics = new GatewayMetrics(threadMetrics);
  // Main verifies logins where the verifier is an object given in code, or keeps the accounts.
  const verifier: AuthVerifier = data.verifyInMain
    ? {
        verify: (request) => link.call('verify', request, { timeoutMs: 30_000 }),
        ...(data.registrations
          ? {
              register: (request: { username: string; password: string; remoteAddress: string }) =>
                link.call('register', request, { timeoutMs: 30_000 }),
            }
          : {}),
      }
    : await createAuthVerifier(config, { logger: log });

  const gateway = new Gateway({
    index: data.index,
    shards: data.shards,
    config,
    verifier,
    heartbeat: new Heartbeat(data.heartbeat),
    counters: new Int32Array(data.counters),
    metrics,
    log,
    host: {
      // A login waits for a takeover of the same name elsewhere (up to 5 s) and for the store.
      login: (username, roles) => link.call('login', { username, roles: [...roles] }, { timeoutMs: 30_000 }),
      logout: (username, joined) => link.notify('logout', { username, joined }),
      metricsText: () => link.call('metricsText'),
    },
  });

  link.serve({
    async listen({ port }) {
      const native = assertUwsUsable(config.allowJsFallback);
      threadMetrics.uwsNative.set(native ? 1 : 0);
      return { port: await gateway.listen(port), native };
    },
    metrics: () => metrics.collect(),
    byeAll: ({ code, reason }) => gateway.byeAll(code, reason),
    stop() {
      // Every uWS socket must be closed before the thread ends, or the process aborts.
      gateway.closeAll();
      threadMetrics.close();
      // Answer first, then let go of the port: the thread ends once uWS has closed its sockets.
      setImmediate(() => {
        link.close();
        parentPort?.close();
      });
    },
    attachShard: ({ shard, port, ring, restarted }) => gateway.attachShard(shard, port, ring, restarted),
    shardDown: (shard) => gateway.shardDown(shard),
    kick: ({ username, code, reason }) => gateway.kick(username, code, reason),
    stopAccepting: () => gateway.stopAccepting(),
  });
}

main().catch((err: unknown) => {
  log.fatal({ err }, 'the gateway failed to start');
  const code = (err as { code?: unknown }).code;
  link.notify('fatal', {
    message: err instanceof Error ? err.message : String(err),
    ...(typeof code === 'string' ? { code } : {}),
  });
  // Nothing listens yet: ending the thread is safe, and main sees the exit.
  link.close();
  parentPort?.close();
});
