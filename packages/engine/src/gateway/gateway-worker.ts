/**
 * Entry of a gateway worker thread: one uWS App on the shared port. Talks to main over
 * parentPort (login reservations, metrics, shutdown) and to every shard over a direct port.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Registry } from 'prom-client';
import type { RegisterRequest } from '../auth/accounts/accounts-verifier.js';
import type { AuthResult, AuthVerifier } from '../auth/auth-verifier.js';
import { createAuthVerifier } from '../auth/create-auth-verifier.js';
import type { EngineConfig } from '../config/engine-config.js';
import type { GatewayToMain, GatewayWorkerData, LoadedPlayer, MainToGateway } from '../ipc/control.js';
import { EVENT_LOOP_RESOLUTION_MS } from '../ipc/event-loop-sampling.js';
import { Heartbeat } from '../ipc/heartbeat.js';
import { createLogger } from '../logging/logger.js';
import { collectThreadMetrics } from '../metrics/aggregate-metrics.js';
import { createThreadMetrics } from '../metrics/thread-metrics.js';
import { Gateway } from './gateway.js';
import { GatewayMetrics } from './gateway-metrics.js';
import { assertUwsUsable } from './uws.js';

type LoginResult = LoadedPlayer | { ok: false; code: string; message: string };

const data = workerData as GatewayWorkerData;
const config = data.config as EngineConfig;
const port = parentPort!;
const log = createLogger({ level: config.log.level, bindings: { thread: `gateway-${data.index}` } });
const post = (msg: GatewayToMain): void => port.postMessage(msg);

let nextId = 1;
const pending = new Map<number, (value: never) => void>();
function request<T>(make: (id: number) => GatewayToMain): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve) => {
    pending.set(id, resolve as (value: never) => void);
    post(make(id));
  });
}
function settle(id: number, value: unknown): void {
  const resolve = pending.get(id);
  pending.delete(id);
  resolve?.(value as never);
}

async function main(): Promise<void> {
  const native = assertUwsUsable(config.allowJsFallback);
  const registry = new Registry();
  const threadMetrics = createThreadMetrics(registry, {
    thread: `gateway-${data.index}`,
    eventLoopResolutionMs: EVENT_LOOP_RESOLUTION_MS,
  });
  threadMetrics.uwsNative.set(native ? 1 : 0);
  const metrics = new GatewayMetrics(threadMetrics);

  const verifier: AuthVerifier = data.verifyInMain
    ? {
        verify: (req) => request<AuthResult>((id) => ({ k: 'verify', id, request: req })),
        // Account creation (STORE) goes to main too, where the store is.
        ...(data.registrations
          ? {
              register: (req: RegisterRequest) =>
                request<AuthResult>((id) => ({ k: 'register', id, request: req })),
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
      login: (username, roles) =>
        request<LoginResult>((id) => ({ k: 'login', id, username, roles: [...roles] })),
      logout: (username, joined) => post({ k: 'logout', username, joined }),
      metricsText: () => request<string>((id) => ({ k: 'metrics-request', id })),
    },
  });

  port.on('message', (msg: MainToGateway) => {
    switch (msg.k) {
      case 'attach-shard':
        gateway.attachShard(msg.shard, msg.port, msg.restarted);
        break;
      case 'shard-down':
        gateway.shardDown(msg.shard);
        break;
      case 'login-result':
        settle(msg.id, msg.result);
        break;
      case 'verify-result':
        settle(msg.id, msg.result);
        break;
      case 'metrics-text':
        settle(msg.id, msg.text);
        break;
      case 'collect-metrics':
        metrics.sync();
        collectThreadMetrics(registry).then(
          (snapshot) => post({ k: 'metrics', id: msg.id, data: snapshot }),
          () => post({ k: 'metrics', id: msg.id, data: [] }),
        );
        break;
      case 'kick':
        gateway.kick(msg.username, msg.code, msg.reason);
        break;
      case 'stop-accepting':
        gateway.stopAccepting();
        break;
      case 'bye':
        gateway.byeAll(msg.code, msg.reason);
        post({ k: 'closed-all' });
        break;
      case 'stop':
        // Every uWS socket must be closed before the thread ends (ENVIRONMENT.md: else abort).
        gateway.closeAll();
        threadMetrics.close();
        for (const resolve of pending.values()) resolve(undefined as never);
        pending.clear();
        post({ k: 'stopped' });
        port.close();
        break;
    }
  });

  const listenPort = await gateway.listen().catch((err: unknown) => {
    post({ k: 'listen-failed', message: err instanceof Error ? err.message : String(err) });
    return -1;
  });
  if (listenPort < 0) {
    port.close();
    return;
  }
  post({ k: 'listening', port: listenPort, native });
}

main().catch((err: unknown) => {
  post({ k: 'listen-failed', message: err instanceof Error ? err.message : String(err) });
  port.close();
});
