import { loadUws } from '../../src/gateway/transport/choose.js';
import type { TransportKind } from '../../src/gateway/transport/transport.js';

const uws = loadUws();

// CI's native runs (Node 22 and 24 in a Debian 13 userland) set this, so that a binary that does
// not load fails them instead of leaving the node transport to pass alone.
if (process.env.LEVIATHAN_REQUIRE_UWS === '1' && 'error' in uws) {
  throw new Error(`LEVIATHAN_REQUIRE_UWS=1 but uWebSockets.js does not load here: ${uws.error.message}`);
}

/**
 * The transports the contract tests run against here: `node` always, `uws` where its native
 * binary loads (Node 20 on any glibc ≥ 2.27; Node 22 and later need glibc 2.38). Each suite that
 * exercises the wire runs once per transport (`describe.each(TRANSPORTS)`), with the transport
 * forced by the `transport` option.
 */
export const TRANSPORTS: readonly TransportKind[] = 'uws' in uws ? ['uws', 'node'] : ['node'];
