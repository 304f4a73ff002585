/**
 * The engine's logger, which @leviathan/engine does not export (not API): the benchmarks import its
 * sources directly, as its own tests do.
 */
export { createLogger } from '../../../packages/engine/src/logging/logger.js';
