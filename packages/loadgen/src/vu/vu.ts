import { performance } from 'node:perf_hooks';
import { setTimeout as sleepMs } from 'node:timers/promises';
import { HttpClient } from '../client/http-client.js';
import { Pacer } from '../client/pacer.js';
import type { ConnectOptions } from '../client/session-options.js';
import { WsSession } from '../client/ws-session.js';
import type { Counter, Gauge, Rate, Trend } from '../metrics/registry.js';
import { parseDuration } from '../options/duration.js';
import type { Runtime } from './runtime.js';
import { checkNameTags, groupTags } from './tag-objects.js';
import { VuSessionContext } from './vu-session-context.js';

type Tags = Record<string, string>;

/** A custom metric bound to a VU (its tags are added to every sample). */
export interface VuTrend {
  /** Adds a value: milliseconds for a time trend, any number otherwise. */
  add(value: number, tags?: Tags): void;
}
export interface VuCounter {
  add(n?: number, tags?: Tags): void;
}
export interface VuRate {
  add(ok: boolean, tags?: Tags): void;
}
export interface VuGauge {
  set(value: number): void;
}

/** Custom metrics, k6's Trend/Counter/Rate/Gauge; the same name must keep the same type. */
export interface VuMetrics {
  trend(name: string, options?: { time?: boolean }): VuTrend;
  counter(name: string): VuCounter;
  rate(name: string): VuRate;
  gauge(name: string): VuGauge;
}

/**
 * What a scenario's function receives: the virtual user. `export default async function (vu) {}`.
 */
export class Vu {
  /** Global VU id: 1..N over all workers and processes (k6's __VU). */
  readonly id: number;
  readonly scenario: string;
  /**
   * The environment, as k6's `__ENV`: the generator's process environment, `--env K=V` over it,
   * and the scenario's `env` over both.
   */
  readonly env: Readonly<Tags>;
  /** This VU's iteration count so far, 0 in the first (k6's __ITER). */
  iteration = -1;
  /** Free state that lives across this VU's iterations (a session kept open, a character name). */
  state: Record<string, unknown> = {};
  /** @internal */
  readonly pacer = new Pacer();
  readonly #runtime: Runtime;
  // Created on first use: a VU that only speaks WebSocket never pays for an HTTP client or custom
  // metric handles (measured: ~4 KB of heap per VU before, with thousands of VUs per worker).
  #http: HttpClient | undefined;
  #metrics: VuMetrics | undefined;
  #sessionContext: VuSessionContext | undefined;
  readonly #baseTags: Readonly<Tags>;
  /** The tags inside the current group (the base tags with `group`); undefined outside groups. */
  #groupTags: Readonly<Tags> | undefined;
  /** `::outer::inner` of the current group, '' outside groups (k6's root group). */
  #groupPath = '';

  constructor(runtime: Runtime, id: number, scenario: string, tags: Readonly<Tags>, env: Readonly<Tags>) {
    this.#runtime = runtime;
    this.id = id;
    this.scenario = scenario;
    this.#baseTags = tags;
    this.#groupTags = undefined;
    this.env = env;
  }

  /**
   * Tags of every sample this VU records now: scenario, the scenario's and the test's tags, and
   * `group` inside a group. Clients read it per sample, so a sample made inside a group carries it.
   */
  get tags(): Readonly<Tags> {
    return this.#groupTags ?? this.#baseTags;
  }

  /** HTTP on undici. */
  get http(): HttpClient {
    this.#http ??= new HttpClient(this.#runtime.agent, this.#runtime.http, this.pacer, this);
    return this.#http;
  }

  /** Custom metrics; samples carry this VU's tags (with its current group). */
  get metrics(): VuMetrics {
    this.#metrics ??= boundMetrics(this.#runtime, this);
    return this.#metrics;
  }

  /**
   * k6's group(): runs `fn` inside a group named `name`. Samples and checks inside carry the tag
   * `group: '::outer::name'` (nested groups joined with `::`, as k6), and the group's run time
   * goes to `group_duration{group:...}`, thrown or not. A VU runs one iteration at a time, so its
   * groups nest; run groups of one VU one after another, not in parallel (Promise.all), or their
   * tags mix.
   */
  async group<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
    if (name.includes('::')) throw new TypeError(`group name ${JSON.stringify(name)} contains "::"`);
    const outerPath = this.#groupPath;
    const outerTags = this.#groupTags;
    const path = `${outerPath}::${name}`;
    const tags = groupTags(this.#baseTags, path);
    this.#groupPath = path;
    this.#groupTags = tags;
    const start = performance.now();
    try {
      return await fn();
    } finally {
      this.#runtime.groupDuration.addScaled(Math.round((performance.now() - start) * 1000), tags);
      this.#groupPath = outerPath;
      this.#groupTags = outerTags;
    }
  }

  /** @internal Leaves every group (an iteration that threw out of one does not leak its tags). */
  resetGroups(): void {
    this.#groupPath = '';
    this.#groupTags = undefined;
  }

  /**
   * Opens a WebSocket JSON-lines session. The source address comes from the test's
   * `localAddresses` (VU id modulo their count) unless given here. The VU closes its sessions
   * when it stops.
   */
  async connect(url: string, options: ConnectOptions = {}): Promise<WsSession> {
    const addrs = this.#runtime.localAddresses;
    const localAddress =
      options.localAddress ?? (addrs.length > 0 ? addrs[(this.id - 1) % addrs.length] : undefined);
    this.#sessionContext ??= new VuSessionContext(
      this,
      this.#runtime.ws,
      this.pacer,
      this.#runtime.sweeper,
      this.#runtime.connectSlots,
    );
    const session = await WsSession.open(
      url,
      this.#sessionContext,
      localAddress === undefined ? options : { ...options, localAddress },
    );
    this.#sessionContext.add(session);
    return session;
  }

  /**
   * k6's check(): runs each named predicate on `value`, records each outcome in the `checks` rate
   * (and `checks{check:<name>}`; the full tag set has `check`, the VU's tags and `group`), and
   * returns whether all passed. A predicate that throws fails.
   */
  check<T>(value: T, checks: Record<string, (value: T) => boolean>, tags?: Tags): boolean {
    let all = true;
    for (const name in checks) {
      let ok: boolean;
      try {
        ok = (checks[name] as (v: T) => boolean)(value) === true;
      } catch {
        ok = false;
      }
      this.#runtime.checks.addCheck(`checks{check:${name}}`, ok, checkNameTags(name, tags), this.tags);
      if (!ok) all = false;
    }
    return all;
  }

  /**
   * Sleeps, measured from the intended time: the next action is meant to happen exactly this long
   * after the previous one was meant to, so a late wake-up of the generator shows in the next
   * latency instead of being hidden (no coordinated omission).
   */
  async sleep(duration: number | string): Promise<void> {
    const ms = typeof duration === 'number' ? duration : parseDuration(duration);
    const now = performance.now();
    const target = this.pacer.peek(now) + ms;
    this.pacer.intend(target);
    const wait = target - now;
    if (wait > 0) await sleepMs(wait);
  }

  /** @internal Closes (or drops, when `force`) the sessions the iteration left open. */
  closeSessions(force: boolean): void {
    const sessions = this.#sessionContext?.sessions;
    if (sessions === undefined) return;
    for (const s of sessions) {
      if (force) s.terminate();
      else void s.close();
    }
    if (force) sessions.clear();
  }
}

/** Custom metric handles bound to a VU's tags, cached per VU. */
function boundMetrics(runtime: Runtime, vu: { readonly tags: Readonly<Tags> }): VuMetrics {
  const custom = new Map<string, unknown>();
  const reg = runtime.registry;
  return {
    trend(name, options) {
      const key = `t:${name}`;
      let h = custom.get(key) as VuTrend | undefined;
      if (h === undefined) {
        const t: Trend = reg.trend(name, options?.time ?? true);
        h = { add: (v, extra) => t.add(v, extra, vu.tags) };
        custom.set(key, h);
      }
      return h;
    },
    counter(name) {
      const key = `c:${name}`;
      let h = custom.get(key) as VuCounter | undefined;
      if (h === undefined) {
        const c: Counter = reg.counter(name);
        h = { add: (n = 1, extra) => c.add(n, extra, vu.tags) };
        custom.set(key, h);
      }
      return h;
    },
    rate(name) {
      const key = `r:${name}`;
      let h = custom.get(key) as VuRate | undefined;
      if (h === undefined) {
        const r: Rate = reg.rate(name);
        h = { add: (ok, extra) => r.add(ok, extra, vu.tags) };
        custom.set(key, h);
      }
      return h;
    },
    gauge(name) {
      const key = `g:${name}`;
      let h = custom.get(key) as VuGauge | undefined;
      if (h === undefined) {
        const g: Gauge = reg.gauge(name);
        h = { set: (v) => g.set(v) };
        custom.set(key, h);
      }
      return h;
    },
  };
}
