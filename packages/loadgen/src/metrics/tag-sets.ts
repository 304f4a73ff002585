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
 * over them), with a cap on how many distinct sets it keeps. Lookups are by object identity
 * first: a VU's tags, a group's and a check's are shared frozen objects, so the usual sample
 * costs a WeakMap lookup, not a key string; only a set seen for the first time (or a call's
 * fresh `tags` literal) builds its key.
 */
export class TagSets<S> {
  readonly #name: string;
  readonly #limit: number;
  readonly #lookup: (key: string) => S | undefined;
  readonly #create: (key: string) => S;
  readonly #byBase = new WeakMap<object, S>();
  readonly #byPair = new WeakMap<object, WeakMap<object, S>>();
  #count = 0;

  /**
   * @param lookup finds a series that exists under a key already (a threshold's, of the same key)
   * @param create makes and registers a series under a key
   */
  constructor(
    name: string,
    limit: number,
    lookup: (key: string) => S | undefined,
    create: (key: string) => S,
  ) {
    this.#name = name;
    this.#limit = limit;
    this.#lookup = lookup;
    this.#create = create;
  }

  /** The series of `base` with `extra` over it; undefined for a sample without tags. */
  of(base: Tags | undefined, extra: Tags | undefined): S | undefined {
    if (extra === undefined) {
      if (base === undefined) return undefined;
      let s = this.#byBase.get(base);
      if (s === undefined) {
        s = this.#resolve(base);
        if (s !== undefined) this.#byBase.set(base, s);
      }
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
    const existing = this.#lookup(key);
    if (existing !== undefined) return existing;
    if (this.#count >= this.#limit) {
      const over = overflowKey(this.#name);
      return this.#lookup(over) ?? this.#create(over);
    }
    this.#count++;
    return this.#create(key);
  }
}

const NO_TAGS: Tags = Object.freeze({});
