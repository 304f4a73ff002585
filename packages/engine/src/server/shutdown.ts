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
  /** A cluster node's membership: its leases are released once the final flush is done. */
  readonly cluster?: { stop(): Promise<void> } | undefined;
  /**
   * The names this node holds. A cluster node waits for them to be free before it leaves: a player
   * of its gateways whose zone another node runs is saved there, and until then the name must stay
   * this node's (a login elsewhere would load an older state).
   */
  readonly names?: { readonly size: number; whenEmpty(timeoutMs: number): Promise<boolean> } | undefined;
  readonly threads?: {
    readonly gateways: GatewayPool;
    readonly supervisor: ShardSupervisor;
    readonly relay: StateRelay;
  };
}

/** Most of the deadline kept for stopping the threads and the store, in ms. */
const MAX_RESERVE_MS = 2_000;

/**
 * Graceful, then hard, within `deadlineMs` in all, whatever state the threads and the store are
 * in: the graceful steps (services, bye to every client, shards drained, the final flush) get the
 * deadline minus a reserve and are abandoned when it passes; stopping the threads and closing the
 * store get the reserve (a thread still running at its end is terminated, a store that does not
 * answer is left behind). A thread that already died is not waited for. Resolves false when the
 * graceful steps did not finish: a shard did not drain, or the time ran out.
 */
export async function shutDown(parts: ShutdownParts, deadlineMs: number): Promise<boolean> {
  const started = performance.now();
  const reserve = Math.min(MAX_RESERVE_MS, deadlineMs / 4);
  const steps = gracefully(parts, deadlineMs - reserve).catch((err: unknown) => {
    parts.log.error({ err }, 'the graceful shutdown failed');
    return false;
  });
  const graceful = await within(steps, deadlineMs - reserve, false);
  await stopEverything(parts, Math.max(0, deadlineMs - (performance.now() - started)));
  return graceful;
}

/** The graceful steps; false when a shard that was up did not drain (its last state is main's). */
async function gracefully(parts: ShutdownParts, budgetMs: number): Promise<boolean> {
  const { log, services, persistence, threads } = parts;
  log.info('shutting down: no new connections, saying bye to clients');
  let drainedAll = true;
  // 0. The game's services first (a telnet bridge tells its clients); their gateway connections
  // then close like any other.
  await services.close();
  if (threads !== undefined) {
    // 1. Stop accepting, say bye (GoingAway) and close every socket; pending input is flushed.
    threads.gateways.stopAccepting();
    await threads.gateways.byeAll(1001, 'the server is shutting down', Math.min(2_000, budgetMs / 4));
    // 2. Drain the shards: queued commands run, players leave with their final state. A shard that
    // is down (crashed, restarting) has nothing to drain: main's cache has its last state.
    const { supervisor, relay } = threads;
    const up: boolean[] = [];
    for (let s = 0; s < supervisor.count; s++) up.push(supervisor.isUp(s));
    const drained = await supervisor.drain(Math.min(5_000, budgetMs / 2));
    for (let s = 0; s < drained.length; s++) {
      const batch = drained[s];
      if (batch) relay.onState(s, batch);
      else if (batch === undefined && up[s]) drainedAll = false;
    }
    // 2b. A cluster node's players in zones of other nodes: saved there, then their names freed.
    if (parts.cluster !== undefined && parts.names !== undefined && parts.names.size > 0) {
      const waiting = parts.names.size;
      if (!(await parts.names.whenEmpty(Math.min(5_000, budgetMs / 4))))
        log.warn(
          { waiting, left: parts.names.size },
          'players in zones of other nodes were not all saved in time; they are freed anyway',
        );
    }
  }
  // 3. Persist.
  try {
    await persistence.flush?.();
  } catch (err) {
    log.error({ err }, 'the final flush failed');
    return false;
  }
  // 4. A cluster node gives its zones up only now, so their next owners load the final state.
  await parts.cluster?.stop();
  return drainedAll;
}

/**
 * Stops every thread (each gateway closing its uWS sockets first) and closes the store, within
 * `timeoutMs`. Shards that have not ended by 60 % of it are terminated; gateways get until 80 %
 * (terminating one whose sockets are still open would abort the process, so they close them
 * first and end by themselves); a store that has not closed by the end is left behind.
 */
export async function stopEverything(parts: ShutdownParts, timeoutMs: number): Promise<void> {
  const { log, services, persistence, threads } = parts;
  const started = performance.now();
  await within(services.close(), timeoutMs / 4, undefined);
  const left = Math.max(0, timeoutMs - (performance.now() - started));
  const store = Promise.resolve(persistence.close?.()).catch((err: unknown) => {
    log.error({ err }, 'closing the store failed');
  });
  // Leases still held are released (their zones' saves from here are refused once taken anyway).
  const cluster = Promise.resolve(parts.cluster?.stop()).catch((err: unknown) => {
    log.error({ err }, 'leaving the cluster failed');
  });
  const stopped = await within(
    Promise.all([
      threads?.gateways.stop(left * 0.8),
      threads?.supervisor.stop(left * 0.6),
      store,
      cluster,
    ]).then(() => true),
    left,
    false,
  );
  if (!stopped)
    log.error({ waitedMs: Math.round(left) }, 'a thread or the store did not stop in time; left behind');
}

/** `promise`'s value, or `fallback` once `ms` have passed (the promise is left to settle alone). */
function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), Math.max(0, ms));
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
