import type { JsonObject } from '@leviathan/protocol';
import type { EntityKind } from './write-behind-types.js';

/** One entity in the write-behind's backlog: its latest snapshot and where its saves stand. */
export class Entry {
  readonly kind: EntityKind;
  readonly key: string;
  /** The shard's in-memory version of the latest snapshot (orders snapshots, latest wins). */
  seq: number;
  data: JsonObject;
  /** The version in the database as far as this node knows (0: no row). */
  baseVersion: number;
  dirty: boolean;
  /** Set while a write is in flight: the seq it carries and its writer token. */
  inflightSeq: number;
  inflightWriter: string;
  /** Writer token of an attempt whose outcome is unknown (the call failed after sending). */
  uncertainWriter: string;
  uncertainSeq: number;
  /** A version conflict stopped saves of this entity until it is loaded again (`track`). */
  conflicted: boolean;
  /** Drop the entry once clean (the player logged out). */
  releaseWhenClean: boolean;
  /** Earliest time (ms) this entity may be retried alone after a non-transient failure. */
  retryAt: number;
  failures: number;

  constructor(kind: EntityKind, key: string, baseVersion: number) {
    this.kind = kind;
    this.key = key;
    this.seq = -1;
    this.data = {};
    this.baseVersion = baseVersion;
    this.dirty = false;
    this.inflightSeq = -1;
    this.inflightWriter = '';
    this.uncertainWriter = '';
    this.uncertainSeq = -1;
    this.conflicted = false;
    this.releaseWhenClean = false;
    this.retryAt = 0;
    this.failures = 0;
  }
}
