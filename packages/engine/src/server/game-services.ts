import type { EngineConfig } from '../config/engine-config.js';
import { ServiceStartError } from '../errors.js';
import type { GameService, RunningService } from '../game/service.js';
import type { Logger } from '../logging/logger.js';

/**
 * The game's services (GameDefinition.services) on the main thread: started once the gateways
 * listen, each given the gateway's WebSocket URL on loopback, and closed first at shutdown, last
 * started first.
 */
export class GameServices {
  readonly running = new Map<string, RunningService>();
  readonly #log: Logger;

  constructor(log: Logger) {
    this.#log = log;
  }

  /** Starts every service in order; one that fails stops the server's start (ServiceStartError). */
  async start(services: readonly GameService[], config: EngineConfig, port: number): Promise<void> {
    const wildcard = config.host === '0.0.0.0' || config.host === '::' || config.host === '';
    const local = wildcard ? '127.0.0.1' : config.host;
    const tls = config.tls.keyFile !== undefined && config.tls.certFile !== undefined;
    const gatewayUrl = `${tls ? 'wss' : 'ws'}://${local.includes(':') ? `[${local}]` : local}:${port}/ws`;
    for (const service of services) {
      const log = this.#log.child({ service: service.name });
      let running: RunningService;
      try {
        running = await service.start({ gatewayUrl, host: config.host, authMode: config.auth.mode, log });
      } catch (err) {
        throw new ServiceStartError(service.name, { cause: err });
      }
      this.running.set(service.name, running);
      log.info({ port: running.port }, `service ${service.name} started`);
    }
  }

  /** Closes every running service (idempotent); a failure is logged, never thrown. */
  async close(): Promise<void> {
    const running = [...this.running].reverse();
    this.running.clear();
    for (const [name, service] of running) {
      try {
        await service.close();
      } catch (err) {
        this.#log.error({ err, service: name }, 'closing a game service failed');
      }
    }
  }
}
