import type { JsonObject, JsonValue } from '@leviathan/protocol';
import type { Registry } from 'prom-client';
import { AccountService, type AccountServiceOptions } from '../auth/accounts/account-service.js';
import {
  type AccountsVerifier,
  accountsVerifier,
  type RegisterRequest,
} from '../auth/accounts/accounts-verifier.js';
import type { AuthRequest, AuthResult } from '../auth/auth-verifier.js';
import type { PlayerData, PlayerSnapshot, StateBatch, WorldRecord } from '../ipc/state-batch.js';
import type { PersistenceContext, PersistenceHooks } from '../server/persistence-hooks.js';
import { createStore } from './create-store.js';
import { EmbeddedStore } from './embedded/embedded-store.js';
import type { Store, StoreOptions } from './store.js';
import { createStoreMetrics } from './store-metrics.js';
import { WriteBehind } from './write-behind.js';
import type { WriteBehindLogger, WriteBehindOptions } from './write-behind-types.js';

export interface StorePersistenceOptions {
  /** Which store (the engine config's `store` section). @default { kind: 'embedded' } */
  store?: StoreOptions;
  /** Write-behind flush interval, in milliseconds (the config's `flushIntervalMs`). @default 1000 */
  flushIntervalMs?: number;
  /** Other write-behind tunables (backlog bound, batch size, retry delays). */
  writeBehind?: Omit<WriteBehindOptions, 'store' | 'flushIntervalMs' | 'logger' | 'metrics'>;
  /**
   * How long the final flush at shutdown keeps retrying a failing database, in milliseconds.
   * @default 10000
   */
  shutdownFlushMs?: number;
  /** Account settings (scrypt cost, session lifetime, rate limits). */
  accounts?: Omit<AccountServiceOptions, 'store'>;
  /** A store opened by the caller (tests, custom implementations); `store` is then ignored. */
  openStore?: () => Promise<Store>;
}

/**
 * World records carry any JSON value, or null for a deleted entity. The store keeps objects, so a
 * record is wrapped as `{ v: value }`; a deletion stays as the tombstone `{ v: null }`, which keeps
 * the row's version, so a node holding a stale copy still cannot overwrite it.
 */
const wrap = (data: JsonValue | null): JsonObject => ({ v: data });
const unwrap = (data: JsonObject): JsonValue | null => ('v' in data ? (data.v ?? null) : data);

/**
 * The store behind the server's PersistenceHooks: opens and migrates the store, feeds the shards'
 * state batches to the write-behind (main thread, never in a tick), loads characters at login and
 * the world at start, saves a player at logout, flushes at shutdown. With `verifier()`, the same
 * store serves accounts (`auth.mode: accounts`).
 */
export class StorePersistence implements PersistenceHooks {
  readonly #options: StorePersistenceOptions;
  #store: Store | undefined;
  #writeBehind: WriteBehind | undefined;
  #accounts: AccountService | undefined;
  #log: WriteBehindLogger | undefined;
  #opening: Promise<void> | undefined;
  /** Resolves once the store is open: account calls made earlier wait for it. */
  readonly #opened: Promise<void>;
  #markOpened: () => void = () => {};
  #markFailed: (error: unknown) => void = () => {};

  constructor(options: StorePersistenceOptions = {}) {
    this.#options = options;
    this.#opened = new Promise((resolve, reject) => {
      this.#markOpened = resolve;
      this.#markFailed = reject;
    });
    // Nobody may be waiting; a failed open is reported by open() itself.
    this.#opened.catch(() => {});
  }

  /** The open store (after `open`). */
  get store(): Store | undefined {
    return this.#store;
  }

  get writeBehind(): WriteBehind | undefined {
    return this.#writeBehind;
  }

  open(context: PersistenceContext = {}): Promise<void> {
    this.#opening ??= this.#open(context.registry, context.logger).catch((error: unknown) => {
      this.#markFailed(error);
      throw error;
    });
    return this.#opening;
  }

  async #open(registry: Registry | undefined, logger: WriteBehindLogger | undefined): Promise<void> {
    const metrics = registry ? createStoreMetrics(registry) : undefined;
    this.#log = logger;
    const store = this.#options.openStore
      ? await this.#options.openStore()
      : await createStore(this.#options.store ?? {}, metrics);
    this.#store = store;
    this.#writeBehind = new WriteBehind({
      ...this.#options.writeBehind,
      store,
      ...(this.#options.flushIntervalMs === undefined
        ? {}
        : { flushIntervalMs: this.#options.flushIntervalMs }),
      ...(logger ? { logger } : {}),
      ...(metrics ? { metrics } : {}),
    }).start();
    this.#accounts = new AccountService({ ...this.#options.accounts, store });
    this.#markOpened();
    // The embedded store says which SQLite binding it runs on (store.sqliteDriver 'auto' picks one).
    const driver = store instanceof EmbeddedStore ? store.driver : undefined;
    logger?.info(
      { store: store.kind, ...(driver === undefined ? {} : { driver }) },
      `store ready (${store.kind}${driver === undefined ? '' : `, ${driver}`})`,
    );
  }

  async loadPlayer(username: string): Promise<PlayerSnapshot | undefined> {
    const loaded = await this.#ready().loadPlayer(username);
    if (!loaded) return undefined;
    return { username, version: loaded.version, data: loaded.data as unknown as PlayerData };
  }

  loadWorld(): Promise<WorldRecord[]> {
    return this.#loadWorld('');
  }

  loadZoneWorld(zone: string): Promise<WorldRecord[]> {
    return this.#loadWorld(`${zone}/`);
  }

  /** World records under a key prefix; each one's stored version is told to the write-behind. */
  async #loadWorld(prefix: string): Promise<WorldRecord[]> {
    const wb = this.#ready();
    const records: WorldRecord[] = [];
    for (const r of await this.#store!.loadWorld(prefix)) {
      wb.track('world', r.key, r.version);
      const data = unwrap(r.data);
      if (data !== null) records.push({ key: r.key, version: r.version, data });
    }
    return records;
  }

  async settlePlayer(username: string): Promise<number | undefined> {
    const wb = this.#ready();
    if (!(await wb.flushPlayer(username))) return undefined;
    return (await this.#store!.loadCharacter(username))?.version ?? 0;
  }

  trackPlayer(username: string, storedVersion: number): void {
    this.#writeBehind?.track('player', username, storedVersion);
  }

  onStateBatch(batch: StateBatch): void {
    const wb = this.#writeBehind;
    if (!wb) {
      this.#log?.error(
        { shard: batch.shard, tick: batch.tick },
        'a state batch arrived before the store opened; it is not saved',
      );
      return;
    }
    wb.ingest({
      shard: batch.shard,
      tick: batch.tick,
      players: batch.players as unknown as Array<{ username: string; version: number; data: JsonObject }>,
      world: batch.world.map((r) => ({ key: r.key, version: r.version, data: wrap(r.data) })),
    });
    // The logout's final snapshot is in this batch: save it now rather than at the next interval.
    for (const name of batch.loggedOut) void wb.flushPlayer(name);
  }

  ready(): boolean {
    const wb = this.#writeBehind;
    return wb !== undefined && !wb.degraded && !wb.saturated;
  }

  async settle(deadlineMs: number): Promise<{ unsaved: number }> {
    return (await this.#writeBehind?.settle(deadlineMs)) ?? { unsaved: 0 };
  }

  async flush(): Promise<void> {
    const wb = this.#writeBehind;
    if (!wb) return;
    await wb.close(this.#options.shutdownFlushMs ?? 10_000);
  }

  async close(): Promise<void> {
    await this.#writeBehind?.close(0);
    await this.#store?.close();
  }

  /**
   * An AuthVerifier over this store's accounts (with `register`). Usable before `open`: calls
   * wait for the store.
   */
  verifier(): AccountsVerifier {
    const ready = async () => {
      await this.#opened;
      return accountsVerifier(this.#accounts as AccountService);
    };
    return {
      verify: async (request: AuthRequest): Promise<AuthResult> => (await ready()).verify(request),
      register: async (request: RegisterRequest): Promise<AuthResult> => (await ready()).register(request),
    };
  }

  #ready(): WriteBehind {
    if (!this.#writeBehind) throw new Error('the store is not open: call open() first');
    return this.#writeBehind;
  }
}
