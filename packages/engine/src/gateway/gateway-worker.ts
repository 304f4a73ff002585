/**
 * Entry of a gateway worker thread: one transport (native uWS, or Node's http + ws: main chose it)
 * on the shared port. Talks to main over the control link (ipc/gateway-link.ts: listening, logins,
 * resumes, metrics, shutdown) and to every shard over a direct port.
 *
 * An uncaught error ends the thread, but never with sockets open (with uWS that aborts the whole
 * process): it closes every socket itself, tells main, and ends; main restarts it.
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
import { signalSocketsClosed } from '../ipc/sockets-closed-signal.js';
import { createLogger } from '../logging/logger.js';
import { createThreadMetrics } from '../metrics/thread-metrics.js';
import { Gateway } from './gateway.js';
import { GatewayMetrics } from './gateway-metrics.js';

const data = workerData as GatewayWorkerData;
const config = data.config as EngineConfig;
const log = createLogger({ level: config.log.level, bindings: { thread: `gateway-${data.index}` } });
const link = new RpcLink<GatewayApi, MainForGatewayApi>(parentPort!, 'main', (err, context) =>
  log.error({ err, context }, 'control message failed'),
);

let gateway: Gateway | undefined;
let closeMetrics: (() => void) | undefined;
let failed = false;
let socketsClosed = false;

/**
 * Closes every socket (the listen socket too) and the thread's metrics, once, and sets the signal
 * that main waits on when the process exits under the server (ipc/sockets-closed-signal.ts).
 */
function closeSockets(): void {
  if (socketsClosed) return;
  socketsClosed = true;
  try {
    gateway?.closeAll();
    closeMetrics?.();
  } finally {
    // At once: the handles uWS has just begun to close (uv_close) are finished by the thread's
    // own teardown, which runs its loop until they are. Signalling at once, after one
    // setImmediate or after two made no difference (no abort in 9 exits each, Node 20 and 22).
    signalSocketsClosed(data.socketsClosed);
  }
}

/**
 * The thread failed (an uncaught error or rejection, or the `crash` drill): its clients see their
 * connections drop, its players stay in their shards (main hands them to the restarted thread),
 * and it ends once the transport has closed the sockets.
 */
function fail(err: unknown): void {
  if (failed) return;
  failed = true;
  try {
    log.fatal({ err }, 'the gateway thread failed; closing its sockets (main restarts it)');
    link.notify('fatal', { message: err instanceof Error ? err.message : String(err), crashed: true });
  } catch {
    // Telling is best effort; closing the sockets is what matters.
  }
  try {
    if (gateway !== undefined) gateway.sessions.crashed = true;
    closeSockets();
  } finally {
    link.close();
    parentPort?.close();
  }
}
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

async function main(): Promise<void> {
  const registry = new Registry();
  const threadMetrics = createThreadMetrics(registry, {
    thread: `gateway-${data.index}`,
    eventLoopResolutionMs: EVENT_LOOP_RESOLUTION_MS,
  });
  const metrics = new GatewayMetrics(threadMetrics);
  closeMetrics = () => threadMetrics.close();
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

  const self = new Gateway({
    index: data.index,
    firstConn: data.firstConn,
    transport: data.transport,
    sharePort: data.sharePort,
    shards: data.shards,
    config,
    verifier,
    heartbeat: new Heartbeat(data.heartbeat),
    counters: new Int32Array(data.counters),
    metrics,
    log,
    host: {
      // A login waits for a takeover of the same name elsewhere (up to 5 s) and for the store.
      login: (request) => link.call('login', request, { timeoutMs: 30_000 }),
      // A resume may wait for another gateway to be restarted and to move the character.
      resume: (username, token, conn) =>
        link.call('resume', { username, token, conn }, { timeoutMs: 30_000 }),
      logout: (username, joined) => link.notify('logout', { username, joined }),
      metricsText: () => link.call('metricsText'),
      dashboardSnapshot: () => link.call('dashboardSnapshot'),
    },
  });
  gateway = self;

  link.serve({
    async listen({ port }) {
      threadMetrics.uwsNative.set(self.transport === 'uws' ? 1 : 0);
      threadMetrics.transportInfo.set({ transport: self.transport }, 1);
      const listening = await self.listen(port);
      // Loading the thread's modules and opening the port is not a stalled loop.
      threadMetrics.restartLoopDelays();
      return { port: listening, transport: self.transport };
    },
    metrics: () => metrics.collect(),
    byeAll: ({ code, reason }) => self.byeAll(code, reason),
    stop() {
      // Every socket must be closed before the thread ends (with uWS, or the process aborts).
      closeSockets();
      // Answer first, then let go of the port: the thread ends once its sockets are closed.
      setImmediate(() => {
        link.close();
        parentPort?.close();
      });
    },
    attachShard: ({ shard, port, ring, restarted }) => self.attachShard(shard, port, ring, restarted),
    shardDown: (shard) => self.shardDown(shard),
    kick: ({ username, code, reason }) => self.kick(username, code, reason),
    stopAccepting: () => self.stopAccepting(),
    detach: ({ conn, gateway, toConn }) => self.sessions.detach(conn, gateway, toConn),
    adopt: ({ held, leave }) => self.sessions.adopt(held, leave),
    crash() {
      // As an uncaught error in the thread would (the drill behind server.killGateway).
      setImmediate(() => {
        throw new Error('gateway killed on purpose (killGateway)');
      });
    },
    closeNow: closeSockets,
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
