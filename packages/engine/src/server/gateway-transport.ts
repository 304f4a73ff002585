import type { EngineConfig } from '../config/engine-config.js';
import { chooseTransport, sharesPort } from '../gateway/transport/choose.js';
import type { TransportKind } from '../gateway/transport/transport.js';
import type { Logger } from '../logging/logger.js';

/** How the gateway threads serve the port. */
export interface GatewayTransport {
  /** The transport every gateway thread runs. */
  readonly kind: TransportKind;
  /** Whether the threads share the port (each listens on it). */
  readonly sharePort: boolean;
  /** Gateway threads: `gatewayThreads`, or 1 where the transport cannot share the port. */
  readonly threads: number;
}

/**
 * One transport for every gateway thread, chosen before any thread starts (the native uWS is
 * loaded here to see whether it loads; a process on the node transport never loads it). Warns
 * when the gateways run on less than the configuration asked for.
 */
export function chooseGatewayTransport(config: EngineConfig, log: Logger): GatewayTransport {
  const transport = chooseTransport(config.transport);
  const sharePort = sharesPort(transport.kind);
  const threads = sharePort ? config.gatewayThreads : 1;
  if (transport.reason !== undefined && config.transport === 'auto') {
    log.warn(
      { transport: transport.kind, reason: transport.reason },
      'native uWebSockets.js does not load here; the gateways run on the node transport (http + ws), which costs more CPU per message (docs/node-support.md)',
    );
  }
  if (threads < config.gatewayThreads) {
    log.warn(
      { gatewayThreads: config.gatewayThreads, node: process.versions.node },
      'the node transport shares a port between threads from Node 22.12 on; one gateway thread serves it',
    );
  }
  return { kind: transport.kind, sharePort, threads };
}
