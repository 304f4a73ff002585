import {
  FrameTooLargeError,
  InvalidJsonError,
  InvalidUtf8Error,
  LineTooLargeError,
  type ProtocolError,
  TooDeepError,
  TooManyMessagesError,
} from '../errors.js';
import { DEFAULT_LIMITS, type ProtocolLimits } from '../limits.js';
import type { ClientMessage } from '../messages.js';
import { validateParsed } from '../validation/validate.js';
import { scanFlatObject } from './flat-scan.js';
import { NESTING_SCAN_MIN_CHARS, nestsDeeperThan } from './nesting.js';
import { decodeUtf8, utf8Length } from './utf8.js';

/** The path of a TooDeepError found before parsing: somewhere in the message. */
const WHOLE_MESSAGE = '(the message)';

/** One decoded line: a valid message, or the typed error that explains why it is not. */
export type Decoded = ClientMessage | ProtocolError;

/**
 * Decodes and validates one line of JSON. Never throws: a bad line gives a ProtocolError.
 * The line is assumed to be within `maxLineBytes` (the frame decoder and the stream splitter check).
 * A compact flat object, the common line, is read by scanFlatObject (flat-scan.ts, which says why);
 * any other by JSON.parse. The validators see the same object either way.
 */
export function decodeLine(line: string, limits: ProtocolLimits = DEFAULT_LIMITS): Decoded {
  const flat = scanFlatObject(line, limits.maxDepth);
  // The validators read the source text only to learn whether it has an escape or a DEL, and the
  // scanner has seen that it has neither: the empty text says the same.
  if (flat !== undefined) return validateParsed(flat, limits, '');
  // A long line nesting past the limit is refused before JSON.parse builds every level of it.
  if (line.length >= NESTING_SCAN_MIN_CHARS && nestsDeeperThan(line, limits.maxDepth))
    return new TooDeepError(WHOLE_MESSAGE, limits.maxDepth);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return new InvalidJsonError(err);
  }
  return validateParsed(value, limits, line);
}

/**
 * Decodes one WebSocket message: one or more newline-separated JSON objects (JSON Lines). Empty
 * lines and a trailing `\r` are ignored. Returns the results in order, one per line, in a new
 * array. A frame larger than `maxFrameBytes` yields a single fatal FrameTooLargeError.
 *
 * Why a new array each time rather than one the caller reuses: emptying a reused array
 * (`length = 0`) drops its backing store, and the next push allocates 17 slots, where the common
 * one-message frame here allocates a one-element literal. Measured as the gateway reads a binary
 * `cmd` frame (decode, then a loop over the results): 594/574/511 ns reusing an array against
 * 504/437/413 ns with a new one, on Node 20/22/24.
 */
export function decodeFrame(
  data: string | Uint8Array | ArrayBuffer,
  limits: ProtocolLimits = DEFAULT_LIMITS,
): Decoded[] {
  let text: string;
  if (typeof data === 'string') {
    // A string's UTF-8 size is at most 3 bytes per UTF-16 unit: only count when it could matter.
    if (data.length * 3 > limits.maxFrameBytes) {
      const size = utf8Length(data);
      if (size > limits.maxFrameBytes) return [new FrameTooLargeError(size, limits.maxFrameBytes)];
    }
    text = data;
  } else {
    const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
    // `length`, not `byteLength` (the same count for bytes): read as here, on a 55-byte `auth`
    // frame, decodeFrame took 1.07-1.10x a bare decode, parse and validate with `byteLength`,
    // 1.02-1.06x with `length` and 1.02-1.03x with no size check at all (Node 20, four processes
    // each): the `byteLength` getter was not inlined there. On Node 22 and 24 the three were
    // within the noise of one another.
    const size = bytes.length;
    if (size > limits.maxFrameBytes) return [new FrameTooLargeError(size, limits.maxFrameBytes)];
    try {
      text = decodeUtf8(bytes);
    } catch (err) {
      return [new InvalidUtf8Error(err)];
    }
  }

  // Fast path: the common frame is one object with no newline.
  if (text.indexOf('\n') === -1) {
    const line = trimCr(text);
    // `[item]` rather than a push onto a new `[]`: a push onto an empty array gives it room for
    // 17 elements, and this array is most of what decoding allocates besides the parsed message.
    // Measured: JSON.parse plus a one-element array literal 1.03x JSON.parse alone, plus a push
    // onto `[]` 1.10x.
    return line.length > 0 ? [decodeChecked(line, limits)] : [];
  }

  const results: Decoded[] = [];
  let start = 0;
  let count = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = trimCr(text.slice(start, end));
    start = end + 1;
    if (line.length === 0) continue;
    if (++count > limits.maxMessagesPerFrame) {
      results.push(new TooManyMessagesError(limits.maxMessagesPerFrame));
      break;
    }
    results.push(decodeChecked(line, limits));
  }
  return results;
}

function decodeChecked(line: string, limits: ProtocolLimits): Decoded {
  if (line.length * 3 > limits.maxLineBytes) {
    const size = utf8Length(line);
    if (size > limits.maxLineBytes) return new LineTooLargeError(size, limits.maxLineBytes);
  }
  return decodeLine(line, limits);
}

function trimCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}
