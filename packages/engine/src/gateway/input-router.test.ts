import { describe, expect, it } from 'vitest';
import { RingRecordTooLargeError } from '../errors.js';
import { InputOp } from '../ipc/input-batch.js';
import { createInputRing, InputRingReader } from '../ipc/input-ring.js';
import { InputRouter } from './input-router.js';

const join = (conn: number) => ({
  conn,
  username: `p${conn}`,
  session: 's',
  roles: ['player'],
  capabilities: [],
  since: 1,
  snapshot: null,
  restore: false,
});

describe('InputRouter', () => {
  it('writes each record into the shard ring, read back in order at the tick', () => {
    const ring = createInputRing(1024);
    const router = new InputRouter(2);
    router.attach(1, ring);
    expect([router.isUp(0), router.isUp(1)]).toEqual([false, true]);
    router.to(1).join(join(7));
    router.to(1).command(7, 'look', 1, 10);
    router.to(1).leave(7, 'closed');
    const records = new InputRingReader(ring).take();
    expect(records.map((r) => r.op)).toEqual([InputOp.Join, InputOp.Command, InputOp.Leave]);
    expect(records[1]).toEqual({ op: InputOp.Command, conn: 7, line: 'look', id: 1, receivedAt: 10 });
  });

  it('keeps records in order while the ring is full, and moves them in as the shard reads', () => {
    const ring = createInputRing(1024);
    const reader = new InputRingReader(ring);
    const router = new InputRouter(1);
    router.attach(0, ring);
    const line = 'x'.repeat(60);
    for (let i = 0; i < 40; i++) expect(router.to(0).command(1, line, i, 0)).toBe(true);
    expect(router.to(0).waiting).toBeGreaterThan(0);
    const seen: number[] = [];
    for (let round = 0; round < 10 && seen.length < 40; round++) {
      for (const r of reader.take()) if (r.op === InputOp.Command) seen.push(r.id as number);
      router.pump(0);
    }
    expect(seen).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('gives back what a dead shard never read, waiting records included', () => {
    const ring = createInputRing(1024);
    const router = new InputRouter(1);
    router.attach(0, ring);
    const line = 'y'.repeat(100);
    for (let i = 0; i < 20; i++) router.to(0).command(3, line, i, 0);
    const lost = router.detach(0);
    expect(lost.map((r) => (r.op === InputOp.Command ? r.id : -1))).toEqual(
      Array.from({ length: 20 }, (_, i) => i),
    );
    expect(router.isUp(0)).toBe(false);
  });

  it('refuses a join that could never fit at once, even behind waiting records (nothing queued)', () => {
    const ring = createInputRing(1024);
    const router = new InputRouter(1);
    router.attach(0, ring);
    for (let i = 0; i < 40; i++) router.to(0).command(1, 'x'.repeat(60), i, 0);
    const waiting = router.to(0).waiting;
    expect(waiting).toBeGreaterThan(0);
    const huge = { ...join(9), snapshot: { version: 1, data: { blob: 'b'.repeat(2000) } } };
    expect(() => router.to(0).join(huge as never)).toThrow(RingRecordTooLargeError);
    expect(router.to(0).waiting).toBe(waiting);
  });

  it('takes the longest action a client may send into the smallest ring allowed', () => {
    const ring = createInputRing(64 * 1024);
    const reader = new InputRingReader(ring);
    const router = new InputRouter(1);
    router.attach(0, ring);
    // A 16 KiB line of 3-byte characters, as args: 16 KiB of UTF-8, three times that bounded per unit.
    const args = { text: '€'.repeat(5400) };
    expect(router.to(0).action(1, 'write', args, 1, 0)).toBe(true);
    router.pump(0);
    expect(router.to(0).waiting).toBe(0);
    expect(reader.take()).toEqual([
      { op: InputOp.Action, conn: 1, name: 'write', args, id: 1, receivedAt: 0 },
    ]);
  });
});
