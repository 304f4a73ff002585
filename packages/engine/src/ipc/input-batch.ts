import type { JsonObject, RequestId } from '@leviathan/protocol';
import type { PlayerSnapshot } from './state-batch.js';

/**
 * Player input as typed records: what a gateway writes into a shard's input ring (ipc/input-ring.ts,
 * its own binary form) and what a shard forwards to another through main when a player has just
 * moved there (handoff.ts), carried as one flat array of primitives. The flat form is a wire
 * format; only this file reads it by offset.
 *
 * Why flat for the forwards: measured here (Node 20, 200 four-field records per batch, post +
 * receive + decode), a flat array's structured clone costs 0.21 µs/record, msgpackr into a
 * transferred ArrayBuffer 0.25–0.29 µs/record, a JSON string 0.27 µs/record; an array of objects
 * clones every property name again per record. The same flat array is what a transport between
 * processes would serialize.
 */

/** Record kinds: the first element of each record in the flat form. */
export const InputOp = {
  Join: 1,
  Command: 2,
  Action: 3,
  Leave: 4,
  Routed: 5,
  Resume: 6,
  Rebind: 7,
} as const;
export type InputOp = (typeof InputOp)[keyof typeof InputOp];

/** A player's connection joins the shard that owns its zone (login, or re-join after a restart). */
export interface JoinInput {
  readonly op: typeof InputOp.Join;
  readonly conn: number;
  readonly username: string;
  readonly session: string;
  readonly roles: readonly string[];
  readonly capabilities: readonly string[];
  /** Login time, epoch ms. */
  readonly since: number;
  /** The saved state, or null for a new player (or when the shard has it already). */
  readonly snapshot: PlayerSnapshot | null;
  /** A re-join after a shard restart: the shard takes the state it was restored with. */
  readonly restore: boolean;
}

/** A `cmd` from the client. */
export interface CommandInput {
  readonly op: typeof InputOp.Command;
  readonly conn: number;
  readonly line: string;
  readonly id: RequestId | null;
  /** Gateway receipt time (epoch ms), for the command-latency histogram. */
  readonly receivedAt: number;
}

/** An `action` from the client. */
export interface ActionInput {
  readonly op: typeof InputOp.Action;
  readonly conn: number;
  readonly name: string;
  readonly args: JsonObject | null;
  readonly id: RequestId | null;
  readonly receivedAt: number;
}

/** The connection is gone and the player leaves the world. */
export interface LeaveInput {
  readonly op: typeof InputOp.Leave;
  readonly conn: number;
  readonly reason: string;
}

/**
 * Sent by the gateway to the shard a player left, when the gateway switches the player's route to
 * the new shard. The old shard forwards it behind every input it still had, so the new shard knows
 * when the forwarded input is complete and the client's order is kept (shard/handoff.ts).
 */
export interface RoutedInput {
  readonly op: typeof InputOp.Routed;
  readonly conn: number;
}

/**
 * A new connection took back this player after a drop (the gateway already wrote what it
 * missed): the game's onPlayerEnter runs with reason 'resume'.
 */
export interface ResumeInput {
  readonly op: typeof InputOp.Resume;
  readonly conn: number;
}

/**
 * The player on `conn` resumed on another gateway connection (`gateway`, `toConn`): the shard
 * moves it there at the end of the tick (no leave, no join; onPlayerEnter with 'resume'), and
 * tells the old connection with a kick (TakenOver) that its output ends there. Written by the
 * gateway that had the player, behind the player's own input.
 */
export interface RebindInput {
  readonly op: typeof InputOp.Rebind;
  readonly conn: number;
  readonly gateway: number;
  readonly toConn: number;
}

export type InputRecord =
  | JoinInput
  | CommandInput
  | ActionInput
  | LeaveInput
  | RoutedInput
  | ResumeInput
  | RebindInput;

/** A gateway's input for one shard: records in the order the clients sent them. */
export interface InputBatch {
  readonly gateway: number;
  readonly ops: readonly unknown[];
}

/** Fields after the opcode, per opcode: records are fixed-size. */
const ARITY: readonly number[] = [0, 8, 4, 5, 2, 1, 1, 3];

/** Appends records to the flat form. One per gateway–shard pair, emptied at each flush. */
export class InputWriter {
  #ops: unknown[] = [];

  get length(): number {
    return this.#ops.length;
  }

  /** The records written so far, in the flat form; the writer starts empty again. */
  take(): unknown[] {
    const ops = this.#ops;
    this.#ops = [];
    return ops;
  }

  join(r: Omit<JoinInput, 'op'>): void {
    this.#ops.push(
      InputOp.Join,
      r.conn,
      r.username,
      r.session,
      r.roles,
      r.capabilities,
      r.since,
      r.snapshot,
      r.restore,
    );
  }

  command(conn: number, line: string, id: RequestId | null, receivedAt: number): void {
    this.#ops.push(InputOp.Command, conn, line, id, receivedAt);
  }

  action(
    conn: number,
    name: string,
    args: JsonObject | null,
    id: RequestId | null,
    receivedAt: number,
  ): void {
    this.#ops.push(InputOp.Action, conn, name, args, id, receivedAt);
  }

  leave(conn: number, reason: string): void {
    this.#ops.push(InputOp.Leave, conn, reason);
  }

  routed(conn: number): void {
    this.#ops.push(InputOp.Routed, conn);
  }

  resume(conn: number): void {
    this.#ops.push(InputOp.Resume, conn);
  }

  rebind(conn: number, gateway: number, toConn: number): void {
    this.#ops.push(InputOp.Rebind, conn, gateway, toConn);
  }

  /** Appends a decoded record again (a shard forwarding input to the shard a player moved to). */
  append(r: InputRecord): void {
    switch (r.op) {
      case InputOp.Join:
        this.join(r);
        break;
      case InputOp.Command:
        this.command(r.conn, r.line, r.id, r.receivedAt);
        break;
      case InputOp.Action:
        this.action(r.conn, r.name, r.args, r.id, r.receivedAt);
        break;
      case InputOp.Leave:
        this.leave(r.conn, r.reason);
        break;
      case InputOp.Routed:
        this.routed(r.conn);
        break;
      case InputOp.Resume:
        this.resume(r.conn);
        break;
      case InputOp.Rebind:
        this.rebind(r.conn, r.gateway, r.toConn);
        break;
    }
  }
}

/**
 * Decodes a batch's flat form into records. A malformed batch (an unknown opcode, a short record:
 * a bug, never client input, since clients cannot write batches) stops the decode and the rest is
 * reported through `onMalformed`.
 */
export function decodeInputs(ops: readonly unknown[], onMalformed?: (at: number) => void): InputRecord[] {
  const out: InputRecord[] = [];
  let i = 0;
  while (i < ops.length) {
    const op = ops[i] as number;
    const arity = ARITY[op];
    if (arity === undefined || arity === 0 || i + arity >= ops.length) {
      onMalformed?.(i);
      break;
    }
    out.push(decodeAt(ops, i, op as InputOp));
    i += arity + 1;
  }
  return out;
}

function decodeAt(ops: readonly unknown[], i: number, op: InputOp): InputRecord {
  const conn = ops[i + 1] as number;
  switch (op) {
    case InputOp.Join:
      return {
        op,
        conn,
        username: ops[i + 2] as string,
        session: ops[i + 3] as string,
        roles: ops[i + 4] as string[],
        capabilities: ops[i + 5] as string[],
        since: ops[i + 6] as number,
        snapshot: ops[i + 7] as PlayerSnapshot | null,
        restore: ops[i + 8] === true,
      };
    case InputOp.Command:
      return {
        op,
        conn,
        line: ops[i + 2] as string,
        id: ops[i + 3] as RequestId | null,
        receivedAt: ops[i + 4] as number,
      };
    case InputOp.Action:
      return {
        op,
        conn,
        name: ops[i + 2] as string,
        args: ops[i + 3] as JsonObject | null,
        id: ops[i + 4] as RequestId | null,
        receivedAt: ops[i + 5] as number,
      };
    case InputOp.Leave:
      return { op, conn, reason: ops[i + 2] as string };
    case InputOp.Routed:
      return { op, conn };
    case InputOp.Resume:
      return { op, conn };
    case InputOp.Rebind:
      return { op, conn, gateway: ops[i + 2] as number, toConn: ops[i + 3] as number };
  }
}

/** The request id of a command or action record, for answering one that cannot run. */
export function requestIdOf(r: InputRecord): RequestId | null | undefined {
  return r.op === InputOp.Command || r.op === InputOp.Action ? r.id : undefined;
}
