import type { WebSocket } from 'uWebSockets.js';
import type { TokenBucket } from '../limits/token-bucket.js';

/**
 * One client connection in a gateway thread (the uWS UserData). Every field is declared here so
 * all connections share one hidden class.
 */
export class Connection {
  readonly id: number;
  readonly remoteAddress: string;
  ws: WebSocket<{ readonly c: Connection }> | undefined = undefined;
  /** Set in uWS's close handler: after it, the socket must never be touched. */
  closed = false;
  /** A close was asked for (end() sent); no more sends. */
  closing = false;
  authState: 'none' | 'pending' | 'done' = 'none';
  username = '';
  session = '';
  roles: readonly string[] = [];
  capabilities: string[] = [];
  /** Granted 'batch': several messages per WebSocket message. */
  batched = false;
  /** The shard that owns the player now; -1 before the join. */
  shard = -1;
  joined = false;
  bucket: TokenBucket | undefined = undefined;
  errors = 0;
  errorWindowStart = 0;
  rateLimited = 0;
  authTimer: NodeJS.Timeout | undefined = undefined;
  forceCloseTimer: NodeJS.Timeout | undefined = undefined;
  openedAt = 0;

  constructor(id: number, remoteAddress: string) {
    this.id = id;
    this.remoteAddress = remoteAddress;
  }

  get open(): boolean {
    return !this.closed && !this.closing;
  }
}
