import type { Transferable, Worker } from 'node:worker_threads';
import type { JsonValue } from '@leviathan/protocol';
import { ShardCrashedError, ShardRestartLimitError, WorkerStartError } from '../errors.js';
import { engineFile } from '../ipc/engine-files.js';
import type { Heartbeat } from '../ipc/heartbeat.js';
import { RpcLink } from '../ipc/rpc.js';
import type { MainForShardApi, ShardApi, ShardWorkerData } from '../ipc/shard-link.js';
import type { DirectoryRecord, PlayerSnapshot, StateBatch, WorldRecord } from '../ipc/state-batch.js';
import type { ZoneChange } from '../ipc/zone-change.js';
import type { Logger } from '../logging/logger.js';
import { forwardWorkerLogs } from '../logging/worker-logs.js';
import { spawnWorker } from '../server/spawn-worker.js';
import { stopWorker } from './stop-worker.js';

/** What the supervisor tells its owner (the server). */
export interface ShardEvents {
  /** The shard ticks (first start, or after a restart). */
  up(shard: number, restarted: boolean): void;
  /** The shard's thread died while up; a restart follows unless the limit is reached. */
  down(shard: number, err: Error): void;
  /** The shard crashed too often; it stays down. */
  gaveUp(shard: number, err: Error): void;
  state(shard: number, batch: StateBatch): void;
  shutdownRequest(shard: number, reason: string): void;
}

export interface ShardSupervisorOptions {
  readonly count: number;
  readonly gateways: number;
  readonly tickHz: number;
  /** The game module's URL. */
  readonly game: string;
  readonly gameOptions: JsonValue | undefined;
  /** Which shard runs each zone now: read at each (re)start of a shard. */
  readonly zoneMap: () => Record<string, number>;
  readonly logLevel: string;
  readonly jobs: ShardWorkerData['jobs'];
  readonly heartbeat: Heartbeat;
  readonly log: Logger;
  readonly events: ShardEvents;
  /**
   * Restarts allowed per shard within `restartWindowMs` before the supervisor gives up on it.
   * @default 5
   */
  readonly maxRestarts?: number;
  /** @default 60000 */
  readonly restartWindowMs?: number;
  /** State to restore a shard from (main's state cache and directory). */
  readonly restoreState: (shard: number) => {
    players: PlayerSnapshot[];
    world: WorldRecord[];
    directory: DirectoryRecord[];
  };
  /** Initial world records (from the store) for each shard's first start. */
  readonly initialWorld: (shard: number) => WorldRecord[];
  readonly directory: () => DirectoryRecord[];
}

interface ShardSlot {
  worker: Worker | undefined;
  link: RpcLink<MainForShardApi, ShardApi> | undefined;
  up: boolean;
  restarts: number[];
}

/**
 * Starts the shard workers and keeps them running: a shard that throws or exits is restarted
 * with its players' latest state (its players stay connected to their gateways meanwhile), up to
 * `maxRestarts` per window.
 */
export class ShardSupervisor {
  readonly #options: ShardSupervisorOptions;
  readonly #slots: ShardSlot[] = [];
  #stopping = false;

  constructor(options: ShardSupervisorOptions) {
    this.#options = options;
    for (let s = 0; s < options.count; s++) {
      this.#slots.push({ worker: undefined, link: undefined, up: false, restarts: [] });
    }
  }

  get count(): number {
    return this.#slots.length;
  }

  isUp(shard: number): boolean {
    return this.#slots[shard]?.up ?? false;
  }

  /** Starts every shard; resolves when all are ticking. */
  async start(): Promise<void> {
    await Promise.all(this.#slots.map((_, s) => this.#spawn(s, false)));
  }

  /** Sends a note to a shard that is up (dropped otherwise: its state comes back with a restart). */
  notify<K extends keyof ShardApi['notes'] & string>(
    shard: number,
    method: K,
    arg: Parameters<ShardApi['notes'][K]>[0],
    transfer?: readonly Transferable[],
  ): void {
    const slot = this.#slots[shard];
    if (slot?.link === undefined || !slot.up) return;
    (slot.link.notify as (m: string, a: unknown, t?: readonly Transferable[]) => void)(method, arg, transfer);
  }

  /**
   * Sends a zone change to a shard; resolves true once the shard applied it at a tick (and sent
   * that tick's state batch), false when the shard is down or does not answer in time (a restart
   * then starts it from the zone table as it is).
   */
  async changeZones(shard: number, change: ZoneChange, timeoutMs: number): Promise<boolean> {
    const slot = this.#slots[shard];
    if (slot?.link === undefined || !slot.up) return false;
    return slot.link.call('zones', change, { timeoutMs }).then(
      () => true,
      (err: unknown) => {
        this.#options.log.warn({ err, shard }, 'a shard did not apply a zone change');
        return false;
      },
    );
  }

  /** The shard's metrics, or undefined when it is down or does not answer in time. */
  async metrics(shard: number, timeoutMs: number): Promise<unknown> {
    const slot = this.#slots[shard];
    if (slot?.link === undefined || !slot.up) return undefined;
    return slot.link.call('metrics', undefined, { timeoutMs }).catch(() => undefined);
  }

  /** Graceful: every shard drains (players leave with their final state); null or undefined: none. */
  drain(timeoutMs: number): Promise<Array<StateBatch | null | undefined>> {
    return Promise.all(
      this.#slots.map((slot) => {
        if (slot.link === undefined || !slot.up) return undefined;
        return slot.link.call('drain', undefined, { timeoutMs }).catch((err: unknown) => {
          this.#options.log.error({ err }, 'a shard did not drain');
          return undefined;
        });
      }),
    );
  }

  /** Stops every shard; terminates those that do not end within `timeoutMs`. */
  async stop(timeoutMs: number): Promise<void> {
    this.#stopping = true;
    await Promise.all(
      this.#slots.map(async (slot) => {
        const worker = slot.worker;
        if (worker === undefined) return;
        await stopWorker(worker, () => slot.link?.notify('stop'), timeoutMs);
      }),
    );
  }

  /** For tests and drills: kills a shard as a crash would. */
  async kill(shard: number): Promise<void> {
    await this.#slots[shard]?.worker?.terminate();
  }

  /** The shard's worker, to wire direct ports to (undefined while it is down). */
  worker(shard: number): Worker | undefined {
    return this.#slots[shard]?.worker;
  }

  #spawn(shard: number, restarted: boolean): Promise<void> {
    const o = this.#options;
    const restore = restarted ? o.restoreState(shard) : undefined;
    const data: ShardWorkerData = {
      kind: 'shard',
      index: shard,
      count: o.count,
      gateways: o.gateways,
      tickHz: o.tickHz,
      game: o.game,
      gameOptions: o.gameOptions,
      zoneMap: o.zoneMap(),
      logLevel: o.logLevel,
      jobs: o.jobs,
      heartbeat: o.heartbeat.buffer,
      restore: restore
        ? { players: restore.players, world: restore.world }
        : { players: [], world: o.initialWorld(shard) },
      directory: restore?.directory ?? o.directory(),
    };
    const worker = spawnWorker(engineFile('shard/shard-worker.js'), {
      workerData: data,
      name: `leviathan-shard-${shard}`,
      stdout: true, // forwarded in order by forwardWorkerLogs
    });
    forwardWorkerLogs(worker, this.#options.log, `shard-${shard}`);
    const slot = this.#slots[shard]!;
    slot.worker = worker;
    let fatal: string | undefined;
    return new Promise<void>((resolve, reject) => {
      let started = false;
      const link = new RpcLink<MainForShardApi, ShardApi>(worker, `shard-${shard}`, (err, context) =>
        o.log.error({ err, context }, 'a shard control message failed'),
      );
      slot.link = link;
      link.serve({
        ready: () => {
          started = true;
          slot.up = true;
          o.events.up(shard, restarted);
          resolve();
        },
        state: (batch) => o.events.state(shard, batch),
        fatal: ({ message }) => {
          fatal = message;
        },
        shutdownRequest: (reason) => o.events.shutdownRequest(shard, reason),
      });
      worker.on('error', (err) => {
        o.log.error({ err, shard }, 'shard threw');
      });
      worker.on('exit', (code) => {
        const wasUp = slot.up;
        slot.up = false;
        slot.worker = undefined;
        slot.link = undefined;
        link.close();
        o.heartbeat.setUp(shard, false);
        if (!started) {
          reject(new WorkerStartError(`shard ${shard}`, { cause: new Error(fatal ?? `exit code ${code}`) }));
          return;
        }
        if (this.#stopping) return;
        const error = new ShardCrashedError(shard, { cause: new Error(fatal ?? `exit code ${code}`) });
        if (wasUp) o.events.down(shard, error);
        this.#restart(shard, error);
      });
    });
  }

  #restart(shard: number, error: ShardCrashedError): void {
    const slot = this.#slots[shard]!;
    const now = Date.now();
    const windowMs = this.#options.restartWindowMs ?? 60_000;
    slot.restarts = slot.restarts.filter((t) => now - t < windowMs);
    if (slot.restarts.length >= (this.#options.maxRestarts ?? 5)) {
      const limit = new ShardRestartLimitError(shard, slot.restarts.length, windowMs);
      this.#options.log.fatal({ err: limit, cause: error }, 'shard keeps crashing; not restarting it');
      this.#options.events.gaveUp(shard, limit);
      return;
    }
    slot.restarts.push(now);
    this.#options.log.error(
      { err: error, shard, restart: slot.restarts.length },
      'shard crashed; restarting it',
    );
    this.#spawn(shard, true).catch((err: unknown) => {
      if (this.#stopping) return;
      this.#options.log.error({ err, shard }, 'shard restart failed');
      this.#restart(shard, error);
    });
  }
}
