/**
 * The vocabulary of the client schema: what a field must be, as plain data. The schema
 * (client-schema.ts) is written in it, and scripts/generate-validators.ts turns it into the
 * validators (validators.generated.ts); nothing reads it per message.
 */

/** The kinds of field the client schema uses. */
export const FieldKind = {
  String: 'string',
  PlayerText: 'player-text',
  Integer: 'integer',
  FiniteNumber: 'finite-number',
  RequestId: 'request-id',
  StringArray: 'string-array',
  JsonObject: 'json-object',
} as const;
export type FieldKind = (typeof FieldKind)[keyof typeof FieldKind];

/** Functions of field-checks.ts that test a string as a pattern does. */
type PatternMatcher = 'isUsername';

/** The limits that bound player text, chosen by the server at run time. */
type PlayerTextLimit = 'maxCommandLength';

export type FieldRule =
  /**
   * A string of `min` to `max` UTF-16 code units, matching `pattern` where there is one.
   * `matcher`, where there is one, names the function of field-checks.ts that the validators call
   * instead of the pattern: the same test, written as a loop (a test checks they agree).
   */
  | {
      readonly kind: typeof FieldKind.String;
      readonly min: number;
      readonly max: number;
      readonly pattern?: RegExp;
      readonly matcher?: PatternMatcher;
    }
  /**
   * Player text: a string bounded by a limit chosen at run time, without control characters (tab
   * is allowed). Text typed by a player is shown to other players, often in terminals: an ESC
   * (0x1B) would let one player send terminal escape sequences to the others, and CR/LF would let
   * one command forge several lines of output.
   */
  | { readonly kind: typeof FieldKind.PlayerText; readonly limit: PlayerTextLimit }
  | { readonly kind: typeof FieldKind.Integer; readonly min: number; readonly max: number }
  | { readonly kind: typeof FieldKind.FiniteNumber }
  /** A request id: a string of at most `maxLength` characters, or a safe integer >= 0. */
  | { readonly kind: typeof FieldKind.RequestId; readonly maxLength: number }
  | { readonly kind: typeof FieldKind.StringArray; readonly maxItems: number; readonly maxLength: number }
  /**
   * A JSON object of at most `maxKeys` keys (or array items) per level, strings of at most
   * `maxString`, nesting at most `ProtocolLimits.maxDepth` (the message counts as depth 1, so a
   * field's object is depth 2). Forbidden keys are refused at every level.
   */
  | { readonly kind: typeof FieldKind.JsonObject; readonly maxKeys: number; readonly maxString: number };

export const string = (min: number, max: number, pattern?: RegExp, matcher?: PatternMatcher): FieldRule => ({
  kind: FieldKind.String,
  min,
  max,
  ...(pattern === undefined ? {} : { pattern }),
  ...(matcher === undefined ? {} : { matcher }),
});
export const playerText = (limit: PlayerTextLimit): FieldRule => ({ kind: FieldKind.PlayerText, limit });
export const integer = (min: number, max: number): FieldRule => ({ kind: FieldKind.Integer, min, max });
export const finiteNumber = (): FieldRule => ({ kind: FieldKind.FiniteNumber });
export const requestId = (maxLength: number): FieldRule => ({ kind: FieldKind.RequestId, maxLength });
export const stringArray = (maxItems: number, maxLength: number): FieldRule => ({
  kind: FieldKind.StringArray,
  maxItems,
  maxLength,
});
export const jsonObject = (maxKeys: number, maxString: number): FieldRule => ({
  kind: FieldKind.JsonObject,
  maxKeys,
  maxString,
});
