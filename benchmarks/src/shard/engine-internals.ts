/**
 * The engine internals these micro suites drive. @leviathan/engine does not export them (they are
 * not API), so the benchmarks import its sources directly, as its own tests do.
 */
export { defineCommand } from '../../../packages/engine/src/game/command.js';
export { defineGame } from '../../../packages/engine/src/game/game-definition.js';
export { InputRouter } from '../../../packages/engine/src/gateway/input-router.js';
export { INPUT_ARITY, InputOp, type OutputBatch } from '../../../packages/engine/src/ipc/batches.js';
export { ShardRuntime } from '../../../packages/engine/src/shard/shard-runtime.js';
