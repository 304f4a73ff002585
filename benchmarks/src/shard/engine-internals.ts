/**
 * The engine internals these micro suites drive. @leviathan/engine does not export them (they are
 * not API), so the benchmarks import its sources directly, as its own tests do.
 */
export { defineCommand } from '../../../packages/engine/src/game/command.js';
export { defineGame } from '../../../packages/engine/src/game/game-definition.js';
export { InputRouter } from '../../../packages/engine/src/gateway/input-router.js';
export {
  decodeInputs,
  InputOp,
  type InputRecord,
  InputWriter,
} from '../../../packages/engine/src/ipc/input-batch.js';
export { createInputRing, InputRingReader } from '../../../packages/engine/src/ipc/input-ring.js';
export type { OutputBatch } from '../../../packages/engine/src/ipc/output-batch.js';
export { Shard } from '../../../packages/engine/src/shard/shard.js';
