import { ErrorCode, FieldBounds, type ProtocolError, type RequestId } from '@leviathan/protocol';

/** Errors raised before a line was parsed as a JSON object: no id can be recovered from them. */
const UNPARSED: ReadonlySet<string> = new Set([
  ErrorCode.InvalidJson,
  ErrorCode.InvalidUtf8,
  ErrorCode.FrameTooLarge,
  ErrorCode.LineTooLarge,
  ErrorCode.TooManyMessages,
  ErrorCode.NotAnObject,
]);

/**
 * The request ids of the lines of a frame, for answering validation errors with `re` (the
 * protocol's decoder reports what is wrong, not the id). Runs only when a frame had such an
 * error: it splits the frame the way `decodeFrame` does (non-empty lines, trailing `\r`
 * dropped) and reads `id` where it has the protocol's shape (a string of at most 64 characters,
 * or a safe integer >= 0).
 */
export function requestIdsOf(text: string): Array<RequestId | undefined> {
  const ids: Array<RequestId | undefined> = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.length === 0) continue;
    let id: RequestId | undefined;
    try {
      const value = JSON.parse(line) as { id?: unknown } | null;
      const candidate = value !== null && typeof value === 'object' ? value.id : undefined;
      if (typeof candidate === 'string' && candidate.length <= FieldBounds.idStringMax) id = candidate;
      else if (typeof candidate === 'number' && Number.isSafeInteger(candidate) && candidate >= 0)
        id = candidate;
    } catch {
      id = undefined;
    }
    ids.push(id);
  }
  return ids;
}

/** Whether the id of the line at fault can be known for this error. */
export function mayCarryId(error: ProtocolError): boolean {
  return !UNPARSED.has(error.code);
}
