import { loadUws } from '../../src/gateway/transport/choose.js';
import type { TransportKind } from '../../src/gateway/transport/transport.js';

/**
 * The transports the contract tests run against here: `node` always, `uws` where its native
 * binary loads (Node 20 on any glibc ≥ 2.27; Node 22 and later need glibc 2.38). Each suite that
 * exercises the wire runs once per transport (`describe.each(TRANSPORTS)`), with the transport
 * forced by the `transport` option.
 */
export const TRANSPORTS: readonly TransportKind[] = 'uws' in loadUws() ? ['uws', 'node'] : ['node'];
