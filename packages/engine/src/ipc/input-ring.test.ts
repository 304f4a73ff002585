import { describe, expect, it } from 'vitest';
import { RingRecordTooLargeError } from '../errors.js';
import { InputOp, type InputRecord } from './input-batch.js';
import { createInputRing, InputRingReader, InputRingWriter } from './input-ring.js';

const records: InputRecord[] = [
  {
    op: InputOp.Join,
    conn: 1,
    username: 'ann',
    session: 's1',
    roles: ['player'],
    capabilities: ['events'],
    since: 1700000000000,
    snapshot: {
      username: 'ann',
      version: 3,
      data: { zone: 'z', room: 'r', state: { hp: 2, note: 'héllo ✓' } },
    },
    restore: true,
  },
  { op: InputOp.Command, conn: 1, line: 'say héllo wörld ✓ 🐉', id: 'r1', receivedAt: 12.5 },
  { op: InputOp.Command, conn: 4_000_000_000, line: '', id: null, receivedAt: 13 },
  { op: InputOp.Action, conn: 1, name: 'move', args: { to: 'north', n: [1, 2] }, id: 7, receivedAt: 14 },
  { op: InputOp.Action, conn: 1, name: 'wait', args: null, id: null, receivedAt: 15 },
  { op: InputOp.Leave, conn: 2, reason: 'closed' },
  { op: InputOp.Routed, conn: 1 },
  { op: InputOp.Resume, conn: 3 },
  { op: InputOp.Rebind, conn: 3, gateway: 1, toConn: 4_000_000_001 },
];

function write(w: InputRingWriter, r: InputRecord): boolean {
  switch (r.op) {
    case InputOp.Join:
      return w.join(r);
    case InputOp.Command:
      return w.command(r.conn, r.line, r.id, r.receivedAt);
    case InputOp.Action:
      return w.action(r.conn, r.name, r.args, r.id, r.receivedAt);
    case InputOp.Leave:
      return w.leave(r.conn, r.reason);
    case InputOp.Routed:
      return w.routed(r.conn);
    case InputOp.Resume:
      return w.resume(r.conn);
    case InputOp.Rebind:
      return w.rebind(r.conn, r.gateway, r.toConn);
  }
}

describe('the input ring', () => {
  it('reads back every kind of record exactly as written, many times around the ring', () => {
    const ring = createInputRing(1024);
    const writer = new InputRingWriter(ring);
    const reader = new InputRingReader(ring);
    for (let round = 0; round < 200; round++) {
      for (const r of records) expect(write(writer, r)).toBe(true);
      expect(reader.take()).toEqual(records);
      expect(writer.pending).toBe(0);
    }
  });

  it('refuses a record when full, then takes it once the reader has read', () => {
    const ring = createInputRing(1024);
    const writer = new InputRingWriter(ring);
    const reader = new InputRingReader(ring);
    let written = 0;
    while (writer.command(1, 'z'.repeat(50), written, 0)) written++;
    expect(written).toBeGreaterThan(5);
    expect(reader.take()).toHaveLength(written);
    expect(writer.command(1, 'again', null, 0)).toBe(true);
    expect(reader.take()).toEqual([{ op: InputOp.Command, conn: 1, line: 'again', id: null, receivedAt: 0 }]);
  });

  it('is shared memory: a worker thread reads what this thread wrote', async () => {
    const { Worker } = await import('node:worker_threads');
    const ring = createInputRing(4096);
    const writer = new InputRingWriter(ring);
    for (const r of records) write(writer, r);
    const code = `
      const { workerData, parentPort } = require('node:worker_threads');
      const view = new DataView(workerData, 16);
      const header = new Int32Array(workerData, 0, 2);
      parentPort.postMessage({ write: Atomics.load(header, 0), firstLength: view.getUint32(0) });`;
    const worker = new Worker(code, { eval: true, workerData: ring });
    const seen = await new Promise<{ write: number; firstLength: number }>((resolve) =>
      worker.once('message', resolve),
    );
    expect(seen.write).toBe(writer.pending);
    expect(seen.firstLength).toBeGreaterThan(0);
    await worker.terminate();
  });

  it('refuses a join whose saved state can never fit, with a clear error', () => {
    const writer = new InputRingWriter(createInputRing(1024));
    const big = records[0] as Extract<InputRecord, { op: 1 }>;
    expect(() =>
      writer.join({
        ...big,
        snapshot: { ...big.snapshot!, data: { zone: 'z', room: 'r', state: { blob: 'b'.repeat(2000) } } },
      }),
    ).toThrow(RingRecordTooLargeError);
  });
});
