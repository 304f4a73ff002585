/**
 * The header a trusted proxy on the server's own machine (a telnet bridge) sets on its WebSocket
 * upgrade to tell the gateway the address of the client it speaks for. The gateway believes it
 * only from a loopback peer: without it every bridged player would be 127.0.0.1 to the per-address
 * login limits and logs.
 */
export const FORWARDED_HEADER = 'x-leviathan-forwarded-for';
