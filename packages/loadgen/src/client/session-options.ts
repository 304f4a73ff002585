import type { ServerMessage } from '@leviathan/protocol';
import type { ConnectSlots } from './connect-slots.js';
import type { DeadlineSweeper } from './deadline-sweeper.js';
import type { Pacer } from './pacer.js';
import type { WsMetrics } from './ws-metrics.js';
import type { WsSession } from './ws-session.js';

export type Tags = Readonly<Record<string, string>>;
export type ServerType = ServerMessage['type'];
export type MessageOf<T extends ServerType> = Extract<ServerMessage, { type: T }>;

/** A session's default wait for an answer, a message or the upgrade. */
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface ConnectOptions {
  /** Give up opening after this long, counted once the open has a connect slot. @default 10000 (ms) */
  timeoutMs?: number;
  /** Source address of the socket (see `localAddresses` in options). */
  localAddress?: string;
  headers?: Record<string, string>;
  /** Tags of this session's samples. */
  tags?: Record<string, string>;
}

export interface RequestOptions {
  /** Reject with TimeoutError after this long. @default 10000 (ms) */
  timeoutMs?: number;
  /** Extra tags for this sample. */
  tags?: Record<string, string>;
}

export interface WaitOptions<T extends ServerType> {
  /** @default 10000 (ms) */
  timeoutMs?: number;
  /** Only a message that passes this filter ends the wait. */
  filter?: (message: MessageOf<T>) => boolean;
}

/** What a session needs from its VU: metrics, intended times, tags. */
export interface SessionContext {
  metrics: WsMetrics;
  pacer: Pacer;
  tags: Tags;
  /** Enforces request timeouts (one timer per worker). */
  sweeper: DeadlineSweeper;
  /** Bounds the opens in flight (the worker's; none when absent). */
  connectSlots?: ConnectSlots | undefined;
  /** Called once when the session closes, so the VU can forget it. */
  onClose?: (session: WsSession) => void;
}
