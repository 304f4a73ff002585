import type { Registry } from 'prom-client';
import type { PlayerSnapshot, StateBatch, WorldRecord } from '../ipc/state-batch.js';
import type { Logger } from '../logging/logger.js';

/** What the server hands to `open`: the main thread's metric registry and logger. */
export interface PersistenceContext {
  readonly registry?: Registry;
  readonly logger?: Logger;
}

/**
 * How the server talks to persistence (the store's write-behind plugs in here). Every hook is
 * optional; without any the server keeps state in memory only (the StateCache).
 *
 * The shards never wait for the store: their state batches reach main once per tick and are
 * handed to `onStateBatch`, which must only queue them (the write-behind flushes on its own
 * interval, at logout and at shutdown).
 */
export interface PersistenceHooks {
  /** Prepares the store (migrations, pool). `/readyz` fails until it resolves. */
  open?(context?: PersistenceContext): Promise<void>;
  /** The saved state of a player who logs in and is not in the StateCache. */
  loadPlayer?(username: string): Promise<PlayerSnapshot | undefined>;
  /** The saved world records (zone state and entities), read once at startup. */
  loadWorld?(): Promise<WorldRecord[]>;
  /**
   * The saved world records of one zone: what a cluster node loads a zone from when it gains the
   * zone's lease (another node may have written it since this node last had it).
   */
  loadZoneWorld?(zone: string): Promise<WorldRecord[]>;
  /**
   * Saves what is pending of one player now (a cluster node, before the player's state goes to
   * another node); resolves with the store's version of it after, or undefined when the store
   * did not take it (it stays pending).
   */
  settlePlayer?(username: string): Promise<number | undefined>;
  /**
   * A player loaded by another node joins one of this node's zones: the store's version of it, so
   * that this node's saves of it go on from there.
   */
  trackPlayer?(username: string, storedVersion: number): void;
  /** Every state batch (dirty players, logouts, world records, handoffs). Must not block. */
  onStateBatch?(batch: StateBatch): void;
  /** Writes everything pending; called at shutdown after the shards drained. */
  flush?(): Promise<void>;
  /**
   * Writes everything pending now and keeps running; resolves with what is left unsaved after
   * `deadlineMs`. A cluster node calls it before it gives a zone away.
   */
  settle?(deadlineMs: number): Promise<{ unsaved: number }>;
  /**
   * Whether the store keeps up: false while flushes fail (an outage) or the write-behind backlog
   * is at its bound. `/readyz` reports it (`store: false`, 503); the game keeps running.
   */
  ready?(): boolean;
  /** Releases the store; called last at shutdown. */
  close?(): Promise<void>;
}
