import type { Logger } from '../logging/logger.js';
import type { RemoteShards } from './remote-shards.js';
import type { ZoneDirectory } from './zone-directory.js';

/** How often the zone directory is read for zones that moved between other nodes, in ms. */
const REFRESH_MS = 500;

export interface RemoteZoneRoutesOptions {
  readonly node: string;
  readonly directory: Pick<ZoneDirectory, 'all'>;
  readonly shards: RemoteShards;
  /** Whether a shard of this node runs `zone` (its own route is the zone host's business). */
  readonly isLocal: (zone: string) => boolean;
  readonly nodesUp: () => ReadonlySet<string>;
  /** Tells every shard of this node the routes that changed. */
  readonly apply: (change: { route: Record<string, number>; unroute: string[] }) => void;
  readonly log: Logger;
}

/**
 * Which remote shard runs each zone of other nodes, as this node's shards route players walking
 * into them (a handoff across nodes): read from the zone directory every half second, and the
 * changes sent to the shards. A move into a zone that just moved between nodes fails until the next
 * read (`LEV_ERR_ENGINE_ZONE_NOT_HERE`); one into a zone that left a node meanwhile is sent back.
 */
export class RemoteZoneRoutes {
  readonly #o: RemoteZoneRoutesOptions;
  #routes = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #failing = false;

  constructor(options: RemoteZoneRoutesOptions) {
    this.#o = options;
  }

  /** The routes now, for a shard that (re)starts. */
  current(): Record<string, number> {
    return Object.fromEntries(this.#routes);
  }

  start(): void {
    const tick = (): void => {
      void this.refresh().finally(() => {
        if (this.#timer === undefined) return;
        this.#timer = setTimeout(tick, REFRESH_MS);
        this.#timer.unref();
      });
    };
    this.#timer = setTimeout(tick, 0);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async refresh(): Promise<void> {
    let all: Awaited<ReturnType<ZoneDirectory['all']>>;
    try {
      all = await this.#o.directory.all();
      this.#failing = false;
    } catch (err) {
      if (!this.#failing)
        this.#o.log.warn({ err }, 'cannot read the zone directory; routes to other nodes kept');
      this.#failing = true;
      return;
    }
    const up = this.#o.nodesUp();
    const next = new Map<string, number>();
    for (const [zone, at] of all) {
      if (at.node === this.#o.node || !up.has(at.node) || this.#o.isLocal(zone)) continue;
      next.set(zone, this.#o.shards.indexOf(at.node, at.shard));
    }
    const route: Record<string, number> = {};
    const unroute: string[] = [];
    for (const [zone, shard] of next) if (this.#routes.get(zone) !== shard) route[zone] = shard;
    for (const zone of this.#routes.keys()) if (!next.has(zone) && !this.#o.isLocal(zone)) unroute.push(zone);
    this.#routes = next;
    if (unroute.length > 0 || Object.keys(route).length > 0) this.#o.apply({ route, unroute });
  }
}
