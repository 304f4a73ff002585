import type { CloseCode } from './close-codes.js';
import type { ErrorCode } from './error-codes.js';

/** A request id chosen by the client: a string of at most 64 characters, or a safe integer >= 0. */
export type RequestId = string | number;

/** A JSON value as it may appear in structured payloads. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

// ─── Client to server ────────────────────────────────────────────────────────────────────────────

/** The first message of every connection. */
export interface AuthMessage {
  type: 'auth';
  username: string;
  /** A session token: `test-token` in development mode, an HMAC token, or one from account login. */
  token?: string;
  /** An account password, where the server has accounts (instead of `token`). */
  password?: string;
  /** A resume token from an earlier `auth-ok`, to take back a character after a dropped connection. */
  resume?: string;
  /** The protocol version the client speaks. @default 1 */
  version?: number;
  /** Optional features, see `Capability`. */
  capabilities?: string[];
  id?: RequestId;
}

/** Creates an account and logs in: answered like `auth`, by `auth-ok` or `auth-error`. */
export interface RegisterMessage {
  type: 'register';
  username: string;
  password: string;
  version?: number;
  capabilities?: string[];
  id?: RequestId;
}

/** A line of text typed by a player, such as `look` or `say hello`. */
export interface CommandMessage {
  type: 'cmd';
  line: string;
  id?: RequestId;
}

/** A structured command for graphical clients and bots: a name and flat or shallow arguments. */
export interface ActionMessage {
  type: 'action';
  name: string;
  args?: JsonObject;
  id?: RequestId;
}

/** Keep-alive and latency probe; answered by `pong` carrying `t` back. */
export interface PingMessage {
  type: 'ping';
  t?: number;
  id?: RequestId;
}

/** Leave the game; answered by `bye`, then a close with code 1000. */
export interface QuitMessage {
  type: 'quit';
  id?: RequestId;
}

export type ClientMessage =
  | AuthMessage
  | RegisterMessage
  | CommandMessage
  | ActionMessage
  | PingMessage
  | QuitMessage;
export type ClientMessageType = ClientMessage['type'];

// ─── Server to client ────────────────────────────────────────────────────────────────────────────

export interface AuthOkMessage {
  type: 'auth-ok';
  /** The protocol version chosen for this connection. */
  version: number;
  username: string;
  /** The player's session id, unique on this server. */
  session: string;
  /** Capabilities granted, a subset of those asked for. */
  capabilities: string[];
  /** A token to resume this character after a dropped connection, where the game supports it. */
  resume?: string;
  /**
   * The account's session token, after a password login or a registration (servers with
   * accounts): send it as `auth.token` to log in again without the password until it expires.
   */
  token?: string;
  /** Server time in milliseconds since the epoch. */
  serverTime: number;
  re?: RequestId;
}

export interface AuthErrorMessage {
  type: 'auth-error';
  code: ErrorCode;
  message: string;
  re?: RequestId;
}

/** The answer to a `cmd` or `action` carrying an `id`. */
export interface ReplyMessage {
  type: 'reply';
  re: RequestId;
  ok: boolean;
  /** Text for the player, where the command produced some. */
  text?: string;
  data?: JsonValue;
}

/** Text for the player to read, not tied to a request (room talk, NPCs, system notices). */
export interface TextMessage {
  type: 'text';
  text: string;
  /** Where it comes from, for clients that colour or filter: `system`, `room`, `say`, `tell`, ... */
  channel?: string;
}

/** A game-defined structured event for graphical clients. */
export interface EventMessage {
  type: 'event';
  name: string;
  data?: JsonValue;
}

export interface RoomExit {
  direction: string;
  /** Title of the room it leads to, where the player may know it. */
  to?: string;
  /** Id of the room it leads to, where the game tells it: mappers link rooms by it. */
  room?: string;
}

/** The room a player is in: sent on entering and on `look`. */
export interface RoomMessage {
  type: 'room';
  id: string;
  zone: string;
  title: string;
  description: string;
  exits: RoomExit[];
  /** Who is here; in a crowded room, only some of them (see `occupantCount`). */
  occupants: Array<{ name: string; kind: 'player' | 'npc' }>;
  /**
   * How many occupants there are in all, when `occupants` names only some of them (a crowd: the
   * rest are counted, not listed). Absent: `occupants` is everyone.
   */
  occupantCount?: number;
  items: Array<{ id: string; name: string }>;
}

/**
 * Someone arrived in or left the player's room; or, with `count`, several at once: a summary of
 * the arrivals (or departures) of one kind in one tick, sent to a crowded room instead of one
 * message each.
 */
export interface PresenceMessage {
  type: 'presence';
  event: 'arrive' | 'depart';
  /** Who; in a summary, the first of `names`. */
  name: string;
  kind: 'player' | 'npc';
  /** The direction of the move, where there is one (in a summary: the same for all of them). */
  direction?: string;
  /** A summary: how many arrived (or left) in all, `names` included. */
  count?: number;
  /** A summary: the first few of them, by name (the rest are only counted). */
  names?: string[];
}

/** Talk on a channel. */
export interface ChatMessage {
  type: 'chat';
  /** `ooc`: the out-of-character channel, to every player (the MUD's `ooc`). */
  channel: 'say' | 'emote' | 'tell' | 'shout' | 'broadcast' | 'ooc';
  from: string;
  text: string;
  /** The recipient of a `tell`. */
  to?: string;
}

/**
 * The player's character in figures, for a client's bars: sent when the player comes in and again
 * whenever one of them changes (a fight, a level gained). Whole numbers; `health` never exceeds
 * `maxHealth` nor `energy` `maxEnergy`. Each message carries them all, so a client keeps only the
 * last one.
 */
export interface VitalsMessage {
  type: 'vitals';
  health: number;
  maxHealth: number;
  /** The resource that special actions spend. */
  energy: number;
  maxEnergy: number;
  /** From 1. */
  level: number;
  /** Experience gathered in all. */
  xp: number;
  /** Experience still needed for the next level: 0 at the highest level. */
  toNextLevel: number;
}

export interface ErrorMessage {
  type: 'error';
  code: ErrorCode;
  message: string;
  /** The request this error answers, where there is one. */
  re?: RequestId;
  /** The field at fault, for validation errors. */
  path?: string;
}

export interface PongMessage {
  type: 'pong';
  t?: number;
  re?: RequestId;
}

/** The last message before the server closes the connection. */
export interface ByeMessage {
  type: 'bye';
  code: CloseCode;
  reason: string;
  re?: RequestId;
}

export type ServerMessage =
  | AuthOkMessage
  | AuthErrorMessage
  | ReplyMessage
  | TextMessage
  | EventMessage
  | RoomMessage
  | PresenceMessage
  | ChatMessage
  | VitalsMessage
  | ErrorMessage
  | PongMessage
  | ByeMessage;
export type ServerMessageType = ServerMessage['type'];

/** Names of the client message types, for lookup tables and docs. */
export const CLIENT_MESSAGE_TYPES = [
  'auth',
  'register',
  'cmd',
  'action',
  'ping',
  'quit',
] as const satisfies readonly ClientMessageType[];
export const SERVER_MESSAGE_TYPES = [
  'auth-ok',
  'auth-error',
  'reply',
  'text',
  'event',
  'room',
  'presence',
  'chat',
  'vitals',
  'error',
  'pong',
  'bye',
] as const satisfies readonly ServerMessageType[];

/**
 * The structured events: written only to connections granted the `events` capability
 * (`Capability.StructuredEvents`); the game sends their substance as `text` beside them.
 */
export const STRUCTURED_EVENT_TYPES = [
  'event',
  'room',
  'presence',
  'chat',
  'vitals',
] as const satisfies readonly ServerMessageType[];

/** Compiles only when `T` is `never`: used to prove the lists above name every message type. */
type AssertNever<T extends never> = T;
type _ClientTypesListed = AssertNever<Exclude<ClientMessageType, (typeof CLIENT_MESSAGE_TYPES)[number]>>;
type _ServerTypesListed = AssertNever<Exclude<ServerMessageType, (typeof SERVER_MESSAGE_TYPES)[number]>>;
