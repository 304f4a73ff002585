import { describe, expect, it } from 'vitest';
import { decodeInputs, InputOp, type InputRecord, InputWriter } from './input-batch.js';

const records: InputRecord[] = [
  {
    op: InputOp.Join,
    conn: 1,
    username: 'ann',
    session: 's1',
    roles: ['player'],
    capabilities: ['events'],
    since: 1700000000000,
    snapshot: { username: 'ann', version: 3, data: { zone: 'z', room: 'r', state: { hp: 2 } } },
    restore: true,
  },
  { op: InputOp.Command, conn: 1, line: 'say hi', id: 'r1', receivedAt: 12.5 },
  { op: InputOp.Command, conn: 2, line: 'look', id: null, receivedAt: 13 },
  { op: InputOp.Action, conn: 1, name: 'move', args: { to: 'north' }, id: 7, receivedAt: 14 },
  { op: InputOp.Action, conn: 1, name: 'wait', args: null, id: null, receivedAt: 15 },
  { op: InputOp.Leave, conn: 2, reason: 'closed' },
  { op: InputOp.Routed, conn: 1 },
  { op: InputOp.Resume, conn: 3 },
  { op: InputOp.Rebind, conn: 3, gateway: 1, toConn: 4_000_000_001 },
];

describe('input batches', () => {
  it('decode what the writer wrote, record for record, through a structured clone', () => {
    const writer = new InputWriter();
    for (const r of records) writer.append(r);
    const wire = structuredClone(writer.take());
    expect(decodeInputs(wire)).toEqual(records);
    expect(writer.length).toBe(0);
  });

  it('stop at a malformed record and say where, keeping what came before', () => {
    const writer = new InputWriter();
    writer.command(1, 'look', null, 0);
    const ops = [...writer.take(), 99, 1, 2, ...[InputOp.Leave, 4]];
    const bad: number[] = [];
    expect(decodeInputs(ops, (at) => bad.push(at))).toEqual([
      { op: InputOp.Command, conn: 1, line: 'look', id: null, receivedAt: 0 },
    ]);
    expect(bad).toEqual([5]);
    // A record cut short is malformed too.
    const cut: number[] = [];
    expect(decodeInputs([InputOp.Leave, 4], (at) => cut.push(at))).toEqual([]);
    expect(cut).toEqual([0]);
  });
});
