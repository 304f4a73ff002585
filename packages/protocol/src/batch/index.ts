export { type BatchCodec, createBatchCodec, toTransferable } from './batch-codec.js';
