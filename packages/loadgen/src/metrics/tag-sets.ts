import { seriesKey } from './series-key.js';

type Tags = Readonly<Record<string, string>>;

/** The tag of the one series a metric's samples fold into past its cap of tag sets. */
export const OVERFLOW_TAG = '__overflow__';

/** `name{__overflow__:true}`: where samples with a tag set past the cap go. */
export function overflowKey(name: string): string {
  return `${name}{${OVERFLOW_TAG}:true}`;
}

/** Whether a series key is an overflow series (the main thread warns once per metric). */
export function isOverflowKey(key: string): boolean {
  return key.endsWith(`{${OVERFLOW_TAG}:true}`);
}

/**
 * The series of one metric keyed by each sample's full tag set (the VU's tags with the call's
 * over them), with a cap on how many distinct sets it keeps. A tagged sample is recorded here
 * only; the registry adds these up into the metric's own series at each snapshot. Lookups are by object identity
 * first: a VU's tags, a group's and a check's are shared frozen objects, so the usual sample
 * costs a WeakMap lookup, not a key string; only a set seen for the first time (or a call's
 * fresh `tags` literal) builds its key.
 */
export class TagSets<S> {
  readonly #name: string;
  readonly #limit: number;
  readonly #make: () => S;
  /** Key → series, in creation order; the overflow series among them once made. */
  readonly #members = new Map<string, S>();
  readonly #byBase = new WeakMap<object, S>();
  readonly #byPair = new WeakMap<object, WeakMap<object, S>>();
  /**
   * The last base-only lookup: a worker's VUs mostly share one scenario's tags object, so this
   * one-entry cache answers most samples without the WeakMap (measured: the WeakMap lookup was
   * about a third of a tagged sample's added cost).
   */
  #lastBase: object | undefined = undefined;
  #lastSeries: S | undefined = undefined;
  #count = 0;

  /** @param make a new, empty series of the metric's type */
  constructor(name: string, limit: number, make: () => S) {
    this.#name = name;
    this.#limit = limit;
    this.#make = make;
  }

  /** The series, for adding up into the metric's own. */
  members(): IterableIterator<S> {
    return this.#members.values();
  }

  /** Key → series. */
  entries(): IterableIterator<[string, S]> {
    return this.#members.entries();
  }

  /** The series of `base` with `extra` over it; undefined for a sample without tags. */
  of(base: Tags | undefined, extra: Tags | undefined): S | undefined {
    if (extra === undefined) {
      if (base === undefined) return undefined;
      if (base === this.#lastBase) return this.#lastSeries;
      let s = this.#byBase.get(base);
      if (s === undefined) {
        s = this.#resolve(base);
        if (s !== undefined) this.#byBase.set(base, s);
      }
      this.#lastBase = base;
      this.#lastSeries = s;
      return s;
    }
    const first: object = base ?? NO_TAGS;
    let inner = this.#byPair.get(first);
    if (inner === undefined) {
      inner = new WeakMap();
      this.#byPair.set(first, inner);
    }
    let s = inner.get(extra);
    if (s === undefined) {
      s = this.#resolve(base === undefined ? extra : { ...base, ...extra });
      if (s !== undefined) inner.set(extra, s);
    }
    return s;
  }

  #resolve(tags: Tags): S | undefined {
    const key = seriesKey(this.#name, tags);
    if (key === this.#name) return undefined;
    const existing = this.#members.get(key);
    if (existing !== undefined) return existing;
    return this.#add(this.#count < this.#limit ? key : overflowKey(this.#name));
  }

  #add(key: string): S {
    let s = this.#members.get(key);
    if (s === undefined) {
      s = this.#make();
      this.#members.set(key, s);
      if (!isOverflowKey(key)) this.#count++;
    }
    return s;
  }
}

const NO_TAGS: Tags = Object.freeze({});
