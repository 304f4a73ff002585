import { connect, createServer, type Socket } from 'node:net';

/** A TCP link between a process and a server that a test can cut and heal, as a partition would. */
export interface LinkProxy {
  /** The loopback port to connect to instead of the server's. */
  readonly port: number;
  /**
   * Cuts the link: nothing passes either way from now on, but every connection stays open and new
   * ones are accepted and hang, so the process sees timeouts rather than refusals, as when a
   * network drops its packets.
   */
  cut(): void;
  /** Heals it: the connections that hung are dropped (their ends reconnect), new ones pass again. */
  heal(): void;
  close(): Promise<void>;
}

/** Forwards 127.0.0.1:<port> to `target` until cut. */
export async function startLinkProxy(target: { host?: string; port: number }): Promise<LinkProxy> {
  const pairs = new Set<{ client: Socket; server: Socket | undefined }>();
  let isCut = false;
  const silence = (pair: { client: Socket; server: Socket | undefined }): void => {
    pair.client.unpipe();
    pair.server?.unpipe();
    // Read and drop: a paused socket would fill its peer's buffers and look like backpressure.
    pair.client.removeAllListeners('data').on('data', () => {});
    pair.server?.removeAllListeners('data').on('data', () => {});
  };
  const server = createServer((client) => {
    const pair: { client: Socket; server: Socket | undefined } = { client, server: undefined };
    pairs.add(pair);
    const drop = (): void => {
      client.destroy();
      pair.server?.destroy();
      pairs.delete(pair);
    };
    client.on('error', drop).on('close', drop);
    if (isCut) {
      silence(pair);
      return;
    }
    const upstream = connect({ host: target.host ?? '127.0.0.1', port: target.port });
    pair.server = upstream;
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  return {
    port: address.port,
    cut() {
      isCut = true;
      for (const pair of pairs) silence(pair);
    },
    heal() {
      isCut = false;
      for (const pair of [...pairs]) {
        pair.client.destroy();
        pair.server?.destroy();
        pairs.delete(pair);
      }
    },
    close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.server?.destroy();
      }
      pairs.clear();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
