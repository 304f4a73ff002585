/**
 * The base class of every error of @leviathan/engine: a stable `code` and `cause` chaining. The
 * classes are in errors.ts (runtime and operations), store/store-errors.ts and
 * cluster/cluster-errors.ts; errors.ts exports them all.
 */
export class EngineError extends Error {
  override readonly name: string = 'EngineError';
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
