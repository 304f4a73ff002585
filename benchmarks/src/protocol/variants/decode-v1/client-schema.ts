import {
  type ClientMessage,
  type ClientMessageType,
  FieldBounds,
  USERNAME_PATTERN,
} from '@leviathan/protocol';
import {
  type FieldCheck,
  finiteNumber,
  integer,
  jsonObject,
  playerText,
  requestId,
  string,
  stringArray,
} from './field-checks.js';

interface FieldSpec {
  readonly check: FieldCheck;
  readonly required: boolean;
}

/** The fields of one message type, keyed exactly as the TypeScript type declares them. */
type MessageSchema<M> = { readonly [K in Exclude<keyof M, 'type'>]-?: FieldSpec };

const required = (check: FieldCheck): FieldSpec => ({ check, required: true });
const optional = (check: FieldCheck): FieldSpec => ({ check, required: false });
const id = optional(requestId(FieldBounds.idStringMax));

/**
 * The v1 client schema. The mapped type makes the compiler check that every field of every
 * message type has a check, and no check names a field the type lacks.
 */
export const CLIENT_SCHEMA: {
  readonly [T in ClientMessageType]: MessageSchema<Extract<ClientMessage, { type: T }>>;
} = {
  auth: {
    username: required(string(FieldBounds.usernameMin, FieldBounds.usernameMax, USERNAME_PATTERN)),
    token: optional(string(0, FieldBounds.tokenMax)),
    password: optional(string(1, FieldBounds.passwordMax)),
    resume: optional(string(0, FieldBounds.tokenMax)),
    version: optional(integer(1, 65535)),
    capabilities: optional(stringArray(FieldBounds.capabilitiesMax, FieldBounds.capabilityLengthMax)),
    id,
  },
  register: {
    username: required(string(FieldBounds.usernameMin, FieldBounds.usernameMax, USERNAME_PATTERN)),
    password: required(string(1, FieldBounds.passwordMax)),
    version: optional(integer(1, 65535)),
    capabilities: optional(stringArray(FieldBounds.capabilitiesMax, FieldBounds.capabilityLengthMax)),
    id,
  },
  cmd: {
    line: required(playerText((l) => l.maxCommandLength)),
    id,
  },
  action: {
    name: required(string(1, FieldBounds.actionNameMax)),
    args: optional(jsonObject(FieldBounds.actionArgsKeysMax, FieldBounds.actionArgStringMax)),
    id,
  },
  ping: {
    t: optional(finiteNumber()),
    id,
  },
  quit: { id },
};

/** Per type, the required field names: precomputed so validation does not scan specs per message. */
export const REQUIRED_FIELDS: { readonly [T in ClientMessageType]: readonly string[] } = Object.fromEntries(
  Object.entries(CLIENT_SCHEMA).map(([type, fields]) => [
    type,
    Object.entries(fields as Record<string, FieldSpec>)
      .filter(([, spec]) => spec.required)
      .map(([name]) => name),
  ]),
) as unknown as { readonly [T in ClientMessageType]: readonly string[] };
