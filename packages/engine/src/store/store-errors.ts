/** The store's errors (persistence, migrations, write-behind, accounts); errors.ts exports them. */
import { EngineError } from '../engine-error.js';

/** Base of every persistence failure: `instanceof StoreError` catches them all. */
export class StoreError extends EngineError {
  override readonly name: string = 'StoreError';
}

/** The database cannot be reached (refused, dropped, timed out, shutting down). Retryable. */
export class StoreUnavailableError extends StoreError {
  override readonly name = 'StoreUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('LEV_ERR_STORE_UNAVAILABLE', message, options);
  }
}

/** The database refused a statement for another reason than availability. */
export class StoreQueryError extends StoreError {
  override readonly name = 'StoreQueryError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('LEV_ERR_STORE_QUERY_FAILED', message, options);
  }
}

/**
 * A versioned write found another version than it expected: another node (or a stale copy) saved
 * the entity in between. Nothing was overwritten.
 */
export class StoreConflictError extends StoreError {
  override readonly name = 'StoreConflictError';
  readonly key: string;
  readonly expectedVersion: number;
  readonly currentVersion: number;
  constructor(key: string, expectedVersion: number, currentVersion: number) {
    super(
      'LEV_ERR_STORE_VERSION_CONFLICT',
      `${key}: expected version ${expectedVersion}, the database has ${currentVersion}; not overwritten`,
    );
    this.key = key;
    this.expectedVersion = expectedVersion;
    this.currentVersion = currentVersion;
  }
}

/** A unique record (an account name) already exists. */
export class StoreDuplicateError extends StoreError {
  override readonly name = 'StoreDuplicateError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('LEV_ERR_STORE_DUPLICATE', message, options);
  }
}

/** A batch handed to the store is malformed (duplicate keys, bad version, data not an object). */
export class StoreInvalidWriteError extends StoreError {
  override readonly name = 'StoreInvalidWriteError';
  constructor(message: string) {
    super('LEV_ERR_STORE_INVALID_WRITE', message);
  }
}

/** A migration file is missing or malformed, or applying or reverting one failed (rolled back). */
export class StoreMigrationError extends StoreError {
  override readonly name = 'StoreMigrationError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('LEV_ERR_STORE_MIGRATION_FAILED', message, options);
  }
}

/** The write-behind backlog is at its bound: a new entity's snapshot was refused (logged, counted). */
export class StoreBacklogFullError extends StoreError {
  override readonly name = 'StoreBacklogFullError';
  constructor(limit: number, keys: readonly string[]) {
    super(
      'LEV_ERR_STORE_BACKLOG_FULL',
      `write-behind backlog at its bound of ${limit} entities; refused ${keys.length}: ${keys.slice(0, 10).join(', ')}`,
    );
  }
}

/** The store configuration is unusable (unknown kind, missing URL, unwritable data directory). */
export class StoreConfigError extends StoreError {
  override readonly name = 'StoreConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('LEV_ERR_STORE_CONFIG_INVALID', message, options);
  }
}

/**
 * The embedded store was selected but no SQLite binding is usable: better-sqlite3 (an optional
 * peer dependency) is not installed or does not load, and this Node has no `node:sqlite`.
 */
export class StoreDriverMissingError extends StoreError {
  override readonly name = 'StoreDriverMissingError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('LEV_ERR_STORE_DRIVER_MISSING', message, options);
  }
}

/** Account creation refused: the username breaks the rules or is taken, or the password is unfit. */
export class AccountError extends StoreError {
  override readonly name = 'AccountError';
  constructor(
    code: 'LEV_ERR_ACCOUNT_INVALID_USERNAME' | 'LEV_ERR_ACCOUNT_INVALID_PASSWORD' | 'LEV_ERR_ACCOUNT_EXISTS',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
