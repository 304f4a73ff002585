import type { Counter, Registry, Trend } from '../metrics/registry.js';

/** The WebSocket client's metrics, created once per worker (never per message). */
export class WsMetrics {
  /** Time to open the connection (TCP + upgrade), from the intended start. */
  readonly connecting: Trend;
  /** auth → auth-ok/auth-error round trip. */
  readonly auth: Trend;
  /** cmd → reply round trip (matched by id/re). */
  readonly cmd: Trend;
  /** Any other request → answer round trip (matched by id/re). */
  readonly request: Trend;
  readonly sessions: Counter;
  readonly sent: Counter;
  readonly received: Counter;
  readonly errors: Counter;
  readonly timeouts: Counter;

  constructor(registry: Registry) {
    this.connecting = registry.trend('ws_connecting');
    this.auth = registry.trend('ws_auth_duration');
    this.cmd = registry.trend('ws_cmd_duration');
    this.request = registry.trend('ws_request_duration');
    this.sessions = registry.counter('ws_sessions');
    this.sent = registry.counter('ws_msgs_sent');
    this.received = registry.counter('ws_msgs_received');
    this.errors = registry.counter('ws_errors');
    this.timeouts = registry.counter('ws_timeouts');
  }
}
