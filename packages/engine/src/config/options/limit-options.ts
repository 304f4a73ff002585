import { type OptionSpec, option } from '../option-spec.js';

const MiB = 1024 * 1024;

/**
 * The bounds the server enforces: message size, idle and login time, connections, each
 * connection's command rate and buffered output, the input ring between threads, and how long a
 * shutdown or a shard's tick may take.
 */
export const LIMIT_OPTIONS: readonly OptionSpec[] = Object.freeze([
  option({
    key: 'maxPayloadBytes',
    type: 'integer',
    description: 'Largest WebSocket message accepted; larger ones close the socket with 1009.',
    unit: 'bytes',
    default: 64 * 1024,
    min: 256,
    max: 16 * MiB,
  }),
  option({
    key: 'idleTimeoutSec',
    type: 'integer',
    description:
      'Time without traffic before a socket is closed (the gateway pings at half of it); 0 disables, else 8 to 960.',
    unit: 'seconds',
    default: 120,
    min: 0,
    max: 960,
  }),
  option({
    key: 'maxConnections',
    type: 'integer',
    description:
      'Most open WebSocket connections over all gateway threads; beyond, new ones close with 1013.',
    unit: 'connections',
    default: 10_000,
    min: 1,
    max: 10_000_000,
  }),
  option({
    key: 'authDeadlineMs',
    type: 'integer',
    description: 'Time a new socket has to authenticate before it is closed.',
    unit: 'milliseconds',
    default: 10_000,
    min: 100,
    max: 600_000,
  }),
  option({
    key: 'commandRate.perSecond',
    type: 'number',
    description: 'Sustained commands per connection; extra ones get LEV_ERR_RATE_LIMITED and are dropped.',
    unit: 'commands per second',
    default: 20,
    min: 0.01,
    max: 100_000,
  }),
  option({
    key: 'commandRate.burst',
    type: 'integer',
    description: 'Commands a connection may send at once after a quiet period.',
    unit: 'commands',
    default: 40,
    min: 1,
    max: 1_000_000,
  }),
  option({
    key: 'maxBufferedBytes',
    type: 'integer',
    description:
      'Bytes buffered for one socket before low-priority events are dropped; past twice this the slow reader is closed.',
    unit: 'bytes',
    default: MiB,
    min: 1024,
    max: 1024 * MiB,
  }),
  option({
    key: 'inputRingBytes',
    type: 'integer',
    description:
      'Bytes of shared memory per gateway-shard pair for input records (a power of two); a shard reads it at each tick, and input waits in the gateway while it is full.',
    unit: 'bytes',
    default: MiB,
    min: 64 * 1024,
    max: 256 * MiB,
  }),
  option({
    key: 'shutdownDeadlineMs',
    type: 'integer',
    description: 'Time a graceful shutdown may take before the process exits anyway.',
    unit: 'milliseconds',
    default: 10_000,
    min: 0,
    max: 600_000,
  }),
  option({
    key: 'shardStallMs',
    type: 'integer',
    description: "Age of a shard's last tick beyond which it is reported stalled (unhealthy in /readyz).",
    unit: 'milliseconds',
    default: 5000,
    min: 10,
    max: 600_000,
  }),
]);
