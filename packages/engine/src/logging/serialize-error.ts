import { stdSerializers } from 'pino';

/** An error as log data: its class name, message, code, stack and causes (bounded depth). */
export interface SerializedError {
  type: string;
  message: string;
  code?: unknown;
  stack?: string;
  /** The cause: serialized when it is an error, as it is otherwise (a string, plain data). */
  cause?: SerializedError | unknown;
  /** Any other enumerable field of the error (`issues`, `file`, `errno`, `name`, ...). */
  [field: string]: unknown;
}

/** Causes kept below the logged error; deeper ones are cut (a chain is rarely legitimately longer). */
const MAX_CAUSE_DEPTH = 5;

/**
 * The `err` serializer of every engine logger: pino's `errWithCause` (type, message, stack,
 * enumerable fields, causes as nested objects, cycles cut), plus what it leaves out: a `code`
 * that is not an enumerable own field (a getter, a prototype field), a cause that is not an
 * error (`new Error('x', { cause: 'why' })`, which pino drops), and a bound on the depth of causes.
 * Anything that is not error-like passes through unchanged, as with pino's own serializer.
 */
export function serializeError(value: unknown): unknown {
  if (!isErrorLike(value)) return value;
  const out = stdSerializers.errWithCause(value as Error) as unknown as SerializedError;
  addWhatPinoLeavesOut(out, value, 0);
  return out;
}

function addWhatPinoLeavesOut(out: SerializedError, error: ErrorLike, depth: number): void {
  if (out.code === undefined && error.code !== undefined) out.code = error.code;
  const cause = error.cause;
  if (cause === undefined) return;
  if (depth >= MAX_CAUSE_DEPTH) {
    out.cause = '[cause chain cut]';
    return;
  }
  if (out.cause === undefined) {
    // pino skipped it: not an error (kept as is), or an error already on the chain (a cycle).
    out.cause = isErrorLike(cause) ? '[Circular]' : cause;
  } else if (isErrorLike(cause)) {
    addWhatPinoLeavesOut(out.cause as SerializedError, cause, depth + 1);
  }
}

interface ErrorLike {
  message: string;
  code?: unknown;
  cause?: unknown;
}

/** pino's own test: anything with a string `message` is serialized as an error. */
function isErrorLike(value: unknown): value is ErrorLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
