import type { TokenBucket } from '../limits/token-bucket.js';
import type { ReplayBuffer } from '../sessions/replay-buffer.js';
import type { TransportSocket } from './transport/transport.js';

/**
 * One client connection in a gateway thread. Every field is declared here so
 * all connections share one hidden class.
 */
export class Connection {
  /** The player's id in the shards; a resumed connection takes the id of the one it resumes. */
  id: number;
  readonly remoteAddress: string;
  /** The client's socket (on the uws transport, the uWS WebSocket itself). */
  ws: TransportSocket | undefined = undefined;
  /** Set in the transport's close event: after it, the socket must never be touched. */
  closed = false;
  /** A close was asked for (end() sent); no more sends. */
  closing = false;
  authState: 'none' | 'pending' | 'done' = 'none';
  username = '';
  session = '';
  /** Interned: one copy per distinct list in the thread (gateway/login.ts). */
  roles: readonly string[] = [];
  /** Interned, as roles. */
  capabilities: readonly string[] = [];
  /** Granted 'batch': several messages per WebSocket message. */
  batched = false;
  /** Granted 'events': structured events (SendFlag.Event) are written; else they are dropped. */
  events = false;
  /** The shard that owns the player now; -1 before the join. */
  shard = -1;
  joined = false;
  bucket: TokenBucket | undefined = undefined;
  errors = 0;
  errorWindowStart = 0;
  /** Pings answered in the current window (InputHandler: past a bound, pings are errors). */
  pings = 0;
  pingWindowStart = 0;
  rateLimited = 0;
  authTimer: NodeJS.Timeout | undefined = undefined;
  forceCloseTimer: NodeJS.Timeout | undefined = undefined;
  /**
   * The socket dropped but the character stays in the world for `sessions.graceMs`: output is
   * kept in `replay` until the player resumes or the grace period ends (`holdTimer`).
   */
  held = false;
  replay: ReplayBuffer | undefined = undefined;
  holdTimer: NodeJS.Timeout | undefined = undefined;
  /** Another connection resumed this one's character: its close must not log the player out. */
  transferred = false;
  /** Its zone is moving: the player is being logged in again where it runs now (zone-moves.ts). */
  moving = false;
  /** The resume token the client was last given ('' when sessions are off). */
  resume = '';

  constructor(id: number, remoteAddress: string) {
    this.id = id;
    this.remoteAddress = remoteAddress;
  }

  get open(): boolean {
    return !this.closed && !this.closing;
  }
}
