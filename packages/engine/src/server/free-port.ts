import { createServer } from 'node:net';

/**
 * A free TCP port on `host`, for `port: 0` with several gateway threads: uWS shares a port
 * between listeners (SO_REUSEPORT) only when it is given explicitly; a second listen on the port
 * the kernel picked for `0` fails (tried with uWS 20.30).
 */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Throws when `port` is taken on `host`. uWS listens with SO_REUSEPORT (so that gateway threads
 * share a port), which also lets a second server bind a port another uWS server holds and
 * silently split its connections with it: a plain bind first makes that an error.
 */
export function assertPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
