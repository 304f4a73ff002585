import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import type { JsonValue } from '@leviathan/protocol';
import { ShardCrashedError, ShardRestartLimitError, WorkerStartError } from '../errors.js';
import type { DirectoryRecord, PlayerSnapshot, WorldRecord } from '../ipc/batches.js';
import type { MainToShard, ShardToMain, ShardWorkerData } from '../ipc/control.js';
import { engineFile } from '../ipc/engine-files.js';
import type { Heartbeat } from '../ipc/heartbeat.js';
import type { Logger } from '../logging/logger.js';
import { forwardWorkerLogs, workerLogOptions } from '../logging/worker-logs.js';
import { spawnWorker } from '../server/spawn-worker.js';

export interface ShardSupervisorOptions {
  readonly count: number;
  readonly gateways: number;
  readonly tickHz: number;
  readonly game: string;
  readonly gameOptions: JsonValue | undefined;
  readonly zoneMap: Record<string, number>;
  readonly logLevel: string;
  readonly jobs: ShardWorkerData['jobs'];
  readonly heartbeat: Heartbeat;
  readonly log: Logger;
  /**
   * Restarts allowed per shard within `restartWindowMs` before the supervisor gives up on it.
   * @default 5
   */
  readonly maxRestarts?: number;
  /** @default 60000 */
  readonly restartWindowMs?: number;
  /** State to restore a shard from (main's StateCache and directory). */
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
  up: boolean;
  stopping: boolean;
  restarts: number[];
  /** Resolves the pending metrics/drain requests of this worker. */
  waiting: Map<number, (data: unknown) => void>;
}

/**
 * Starts the shard workers and keeps them running: a shard that throws or exits is restarted
 * with its players' latest state (its players stay connected to their gateways meanwhile), up to
 * `maxRestarts` per window. Events: `message` (shard, ShardToMain), `down` (shard, error),
 * `up` (shard, worker, restarted), `gave-up` (shard, error).
 */
export class ShardSupervisor extends EventEmitter {
  readonly #options: ShardSupervisorOptions;
  readonly #slots: ShardSlot[] = [];
  #nextRequest = 1;
  #stopping = false;

  constructor(options: ShardSupervisorOptions) {
    super();
    this.#options = options;
    for (let s = 0; s < options.count; s++) {
      this.#slots.push({ worker: undefined, up: false, stopping: false, restarts: [], waiting: new Map() });
    }
  }

  get count(): number {
    return this.#slots.length;
  }

  isUp(shard: number): boolean {
    return this.#slots[shard]?.up ?? false;
  }

  worker(shard: number): Worker | undefined {
    return this.#slots[shard]?.worker;
  }

  restarts(shard: number): number {
    return this.#slots[shard]?.restarts.length ?? 0;
  }

  /** Starts every shard; resolves when all are ticking. */
  async start(): Promise<void> {
    await Promise.all(this.#slots.map((_, s) => this.#spawn(s, false)));
  }

  post(shard: number, message: MainToShard, transfer?: readonly unknown[]): void {
    const slot = this.#slots[shard];
    if (slot?.worker === undefined || !slot.up) return;
    slot.worker.postMessage(message, transfer as never);
  }

  /** Asks one shard and waits for its answer (metrics, drain), or undefined after `timeoutMs`. */
  request(shard: number, make: (id: number) => MainToShard, timeoutMs: number): Promise<unknown> {
    const slot = this.#slots[shard];
    if (slot?.worker === undefined || !slot.up) return Promise.resolve(undefined);
    const id = this.#nextRequest++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        slot.waiting.delete(id);
        resolve(undefined);
      }, timeoutMs);
      slot.waiting.set(id, (data) => {
        clearTimeout(timer);
        resolve(data);
      });
      slot.worker!.postMessage(make(id));
    });
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
      zoneMap: o.zoneMap,
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
      ...workerLogOptions(this.#options.log),
    });
    forwardWorkerLogs(worker, this.#options.log, `shard-${shard}`);
    const slot = this.#slots[shard]!;
    slot.worker = worker;
    slot.stopping = false;
    let fatal: string | undefined;
    return new Promise<void>((resolve, reject) => {
      let started = false;
      worker.on('message', (msg: ShardToMain) => {
        switch (msg.k) {
          case 'ready':
            started = true;
            slot.up = true;
            this.emit('up', shard, worker, restarted);
            resolve();
            break;
          case 'metrics': {
            const done = slot.waiting.get(msg.id);
            slot.waiting.delete(msg.id);
            done?.(msg.data);
            break;
          }
          case 'drained': {
            const done = slot.waiting.get(-1);
            slot.waiting.delete(-1);
            done?.(msg.batch);
            break;
          }
          case 'fatal':
            fatal = msg.message;
            break;
          default:
            this.emit('message', shard, msg);
        }
      });
      worker.on('error', (err) => {
        o.log.error({ err, shard }, 'shard threw');
      });
      worker.on('exit', (code) => {
        const wasUp = slot.up;
        slot.up = false;
        slot.worker = undefined;
        o.heartbeat.setUp(shard, false);
        for (const done of slot.waiting.values()) done(undefined);
        slot.waiting.clear();
        if (!started) {
          reject(new WorkerStartError(`shard ${shard}`, { cause: new Error(fatal ?? `exit code ${code}`) }));
          return;
        }
        if (slot.stopping || this.#stopping) {
          this.emit('stopped', shard);
          return;
        }
        const error = new ShardCrashedError(shard, { cause: new Error(fatal ?? `exit code ${code}`) });
        if (wasUp) this.emit('down', shard, error);
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
      this.emit('gave-up', shard, limit);
      return;
    }
    slot.restarts.push(now);
    this.#options.log.error(
      { err: error, shard, restart: slot.restarts.length },
      'shard crashed; restarting it',
    );
    this.#spawn(shard, true).catch((err: unknown) => {
      this.#options.log.error({ err, shard }, 'shard restart failed');
      this.#restart(shard, error);
    });
  }

  /** Graceful: asks every shard to drain (players leave with their final state). */
  async drain(timeoutMs: number): Promise<unknown[]> {
    return Promise.all(
      this.#slots.map((slot, shard) => {
        if (slot.worker === undefined || !slot.up) return Promise.resolve(undefined);
        return new Promise<unknown>((resolve) => {
          const timer = setTimeout(() => {
            slot.waiting.delete(-1);
            resolve(undefined);
          }, timeoutMs);
          slot.waiting.set(-1, (batch) => {
            clearTimeout(timer);
            resolve(batch);
          });
          this.post(shard, { k: 'drain' });
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
        slot.stopping = true;
        const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        worker.postMessage({ k: 'stop' } satisfies MainToShard);
        const timer = setTimeout(() => void worker.terminate(), timeoutMs);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  /** For tests: kill a shard as a crash would. */
  async kill(shard: number): Promise<void> {
    await this.#slots[shard]?.worker?.terminate();
  }
}
