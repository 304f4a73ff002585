/**
 * The signal that drains a cluster node before it stops: `leviathan drain` sends it, and both
 * `leviathan serve` and a server with `handleSignals` answer it. Its own module, without imports, so
 * the CLI can name it without loading the server.
 */
export const DRAIN_SIGNAL = 'SIGUSR2';
