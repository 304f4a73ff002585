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
