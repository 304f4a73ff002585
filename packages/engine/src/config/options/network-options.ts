import { type DefaultContext, type OptionSpec, option } from '../option-spec.js';

/** Where clients connect: the interface and port, TLS, and the gateway threads listening there. */
export const NETWORK_OPTIONS: readonly OptionSpec[] = Object.freeze([
  option({
    key: 'host',
    type: 'string',
    description:
      'Interface the HTTP/WebSocket server (and game services such as the telnet bridge) binds: loopback by default, reachable from this machine only; 0.0.0.0 (or ::) to accept connections from other machines.',
    default: '127.0.0.1',
  }),
  option({
    key: 'port',
    type: 'integer',
    description:
      'TCP port of /ws, /metrics, /healthz, /readyz and the files of webRoot; 0 picks a free port.',
    unit: 'TCP port',
    default: 8080,
    min: 0,
    max: 65535,
  }),
  option({
    key: 'tls.keyFile',
    type: 'string',
    description: 'PEM private key file; TLS is on when both tls.keyFile and tls.certFile are set.',
    unit: 'path',
    default: undefined,
    optional: true,
  }),
  option({
    key: 'tls.certFile',
    type: 'string',
    description: 'PEM certificate chain file.',
    unit: 'path',
    default: undefined,
    optional: true,
  }),
  option({
    key: 'gatewayThreads',
    type: 'integer',
    description:
      'Gateway worker threads, each listening on the same port (one on the node transport before Node 22.12).',
    unit: 'threads',
    default: ({ cores }: DefaultContext) => defaultGatewayThreads(cores),
    defaultText: 'max(1, ⌊cores / 4⌋)',
    min: 1,
    max: 64,
  }),
]);

/** The gateway threads' default: a quarter of the cores, at least one. */
export function defaultGatewayThreads(cores: number): number {
  return Math.max(1, Math.floor(cores / 4));
}
