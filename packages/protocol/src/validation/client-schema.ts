import { FieldBounds, USERNAME_PATTERN } from '../limits.js';
import type { ClientMessage, ClientMessageType } from '../messages.js';
import {
  type FieldRule,
  finiteNumber,
  integer,
  jsonObject,
  playerText,
  requestId,
  string,
  stringArray,
} from './field-rules.js';

export interface FieldSpec {
  readonly rule: FieldRule;
  readonly required: boolean;
}

/** The fields of one message type, keyed exactly as the TypeScript type declares them. */
type MessageSchema<M> = { readonly [K in Exclude<keyof M, 'type'>]-?: FieldSpec };

const required = (rule: FieldRule): FieldSpec => ({ rule, required: true });
const optional = (rule: FieldRule): FieldSpec => ({ rule, required: false });
const id = optional(requestId(FieldBounds.idStringMax));
const username = string(FieldBounds.usernameMin, FieldBounds.usernameMax, USERNAME_PATTERN, 'isUsername');

/**
 * The v1 client schema. The mapped type makes the compiler check that every field of every
 * message type has a rule, and no rule names a field the type lacks. Fields are checked in the
 * order of the message; missing required fields are reported in the order written here.
 */
export const CLIENT_SCHEMA: {
  readonly [T in ClientMessageType]: MessageSchema<Extract<ClientMessage, { type: T }>>;
} = {
  auth: {
    username: required(username),
    token: optional(string(0, FieldBounds.tokenMax)),
    password: optional(string(1, FieldBounds.passwordMax)),
    resume: optional(string(0, FieldBounds.tokenMax)),
    version: optional(integer(1, 65535)),
    capabilities: optional(stringArray(FieldBounds.capabilitiesMax, FieldBounds.capabilityLengthMax)),
    id,
  },
  register: {
    username: required(username),
    password: required(string(1, FieldBounds.passwordMax)),
    version: optional(integer(1, 65535)),
    capabilities: optional(stringArray(FieldBounds.capabilitiesMax, FieldBounds.capabilityLengthMax)),
    id,
  },
  cmd: {
    line: required(playerText('maxCommandLength')),
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
