/** An error as log data: its class name, message, code, stack and causes (bounded depth). */
export interface SerializedError {
  type: string;
  message: string;
  code?: unknown;
  stack?: string;
  cause?: SerializedError | unknown;
}

const MAX_CAUSE_DEPTH = 5;

export function serializeError(error: Error, depth = 0): SerializedError {
  const out: SerializedError = { type: error.name, message: error.message };
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  if (error.stack !== undefined) out.stack = error.stack;
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined && depth < MAX_CAUSE_DEPTH) {
    out.cause = cause instanceof Error ? serializeError(cause, depth + 1) : cause;
  }
  return out;
}
