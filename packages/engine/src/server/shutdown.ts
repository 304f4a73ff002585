import type { Logger } from '../logging/logger.js';
import type { ShardSupervisor } from '../supervisor/shard-supervisor.js';
import type { GameServices } from './game-services.js';
import type { GatewayPool } from './gateway-pool.js';
import type { PersistenceHooks } from './persistence-hooks.js';
import type { StateRelay } from './state-relay.js';

/** What a shutdown stops. The threads' parts are absent when the server failed early in its start. */
export interface ShutdownParts {
  readonly log: Logger;
  readonly services: GameServices;
  readonly persistence: PersistenceHooks;
  readonly threads?: {
    readonly gateways: GatewayPool;
    readonly supervisor: ShardSupervisor;
    readonly relay: StateRelay;
  };
}

/**
 * Graceful, then hard, within `deadlineMs` in all: the graceful steps (services, bye to every
 * client, shards drained, the final flush) get the deadline minus a reserve; stopping the threads
 * gets the reserve, and a thread still running at its end is terminated. So a shutdown settles in
 * time whatever state the threads are in (one that already died is not waited for). Resolves
 * false when the graceful steps did not finish in time.
 */
export async function shutDown(parts: ShutdownParts, deadlineMs: number): Promise<boolean> {
  const reserve = Math.min(2_000, deadlineMs / 4);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), deadlineMs - reserve);
  });
  const graceful = await Promise.race([gracefully(parts, deadlineMs - reserve).then(() => true), expired]);
  clearTimeout(timer);
  await stopEverything(parts, reserve);
  return graceful;
}

async function gracefully(parts: ShutdownParts, budgetMs: number): Promise<void> {
  const { log, services, persistence, threads } = parts;
  log.info('shutting down: no new connections, saying bye to clients');
  // 0. The game's services first (a telnet bridge tells its clients); their gateway connections
  // then close like any other.
  await services.close();
  if (threads !== undefined) {
    // 1. Stop accepting, say bye (GoingAway) and close every socket; pending input is flushed.
    threads.gateways.stopAccepting();
    await threads.gateways.byeAll(1001, 'the server is shutting down', Math.min(2_000, budgetMs / 4));
    // 2. Drain the shards: queued commands run, players leave with their final state.
    const drained = await threads.supervisor.drain(Math.min(5_000, budgetMs / 2));
    for (let s = 0; s < drained.length; s++) {
      const batch = drained[s];
      if (batch) threads.relay.onState(s, batch);
    }
  }
  // 3. Persist.
  try {
    await persistence.flush?.();
  } catch (err) {
    log.error({ err }, 'the final flush failed');
  }
}

/** Stops every thread (each gateway closing its uWS sockets first), then the store. */
export async function stopEverything(parts: ShutdownParts, timeoutMs: number): Promise<void> {
  const { log, services, persistence, threads } = parts;
  await services.close();
  if (threads !== undefined) {
    await Promise.all([threads.gateways.stop(timeoutMs), threads.supervisor.stop(timeoutMs)]);
  }
  try {
    await persistence.close?.();
  } catch (err) {
    log.error({ err }, 'closing the store failed');
  }
}
