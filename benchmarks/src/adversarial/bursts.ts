import type { FloodKind } from './flood.js';
import {
  deepNesting,
  frame,
  invalidUtf8,
  Opcode,
  type Prng,
  prototypeKeys,
  text,
  truncatedJson,
  unknownTypes,
  unmasked,
  wrongTypes,
} from './frames.js';

/**
 * The frames of one burst of a kind of abuse, written as a client would never write them.
 * `max` is the server's maxPayloadBytes, which the huge frames exceed.
 */
export function burstOf(kind: FloodKind, rng: Prng, max: number): Buffer[] {
  const many = (count: number, make: () => Buffer): Buffer[] => Array.from({ length: count }, make);
  switch (kind) {
    case 'truncated-json':
      return many(48, () => text(truncatedJson(rng)));
    case 'huge-frames':
      return rng.pick([
        // Past maxPayloadBytes: the gateway's error and 1009.
        () => [frame(Opcode.Text, `{"type":"cmd","line":"${'x'.repeat(max)}"}`)],
        // Past twice that: uWS's own limit drops the connection.
        () => [frame(Opcode.Binary, rng.bytes(2 * max + 1))],
        // A line past maxLineBytes inside an acceptable frame, several times.
        () => many(8, () => text(`{"type":"cmd","line":"${'y'.repeat(20_000)}"}`)),
        // A frame of many lines, each huge but within the frame.
        () => [text(...Array.from({ length: 3 }, () => `{"type":"ping","t":${'9'.repeat(18_000)}}`))],
      ])();
    case 'deep-nesting':
      return many(24, () => text(deepNesting(rng, 10 + rng.below(2_500))));
    case 'invalid-utf8':
      return [
        ...many(16, () => frame(Opcode.Binary, invalidUtf8(rng))),
        ...many(16, () => frame(Opcode.Text, invalidUtf8(rng))),
      ];
    case 'binary':
      return many(32, () =>
        rng.below(2) === 0
          ? frame(Opcode.Binary, rng.bytes(1 + rng.below(512)))
          : frame(Opcode.Binary, '{"type":"cmd","line":"look"}'),
      );
    case 'prototype-keys':
      return many(32, () => text(prototypeKeys(rng)));
    case 'wrong-types':
      return many(48, () => text(wrongTypes(rng)));
    case 'unknown-types':
      return many(32, () => text(unknownTypes(rng)));
    case 'too-many-lines':
      // Pings are valid: a frame of 100 of them asks for 64 answers before its error.
      return many(8, () => text(...Array.from({ length: 100 }, (_, i) => `{"type":"ping","t":${i}}`)));
    case 'ws-protocol':
      return rng.pick([
        () => [unmasked('{"type":"ping"}')],
        () => [frame(3, 'reserved opcode')],
        () => [frame(Opcode.Text, '{"type":"ping"}', { rsv: 4 })],
        () => [frame(Opcode.Continuation, 'no start')],
        () => [frame(Opcode.Ping, 'p'.repeat(200))],
        () => [frame(Opcode.Ping, 'x', { fin: false })],
        () => [frame(Opcode.Close, Buffer.from([0x03, 0xe7]))],
        () => [frame(Opcode.Close, Buffer.from([0x01]))],
        () => [frame(Opcode.Text, '{"type":', { fin: false }), frame(Opcode.Text, '"ping"}')],
        () => many(64, () => frame(Opcode.Ping, 'ping')),
      ])();
    case 'ping-flood':
      return many(32, () => text(...Array.from({ length: 64 }, (_, i) => `{"type":"ping","t":${i}}`)));
    case 'rate-limit':
      return many(300, () => text(`{"type":"cmd","line":"echo ${rng.below(1000)}"}`));
    case 'auth-spam':
      return many(40, () => text('{"type":"auth","username":"again","token":"x"}'));
    case 'churn':
      return [];
  }
}
