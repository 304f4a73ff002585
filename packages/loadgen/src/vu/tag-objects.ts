type Tags = Readonly<Record<string, string>>;

/**
 * Frozen tag objects shared by every VU and call that needs the same ones: a scenario's tags with
 * a group, a check's name. The metrics find a sample's series by the identity of its tag objects
 * (metrics/tag-sets.ts), so handing out one object per distinct set keeps the usual sample free
 * of key strings. Keyed by the base object, so each scenario's sets go when it does.
 */
const withGroup = new WeakMap<Tags, Map<string, Tags>>();
const checkTags = new Map<string, Tags>();
/**
 * Check names are usually literals; a scenario that builds them from data (an id in the name)
 * would grow this cache without end, so past this many it stops caching (and the metrics cap
 * the series anyway).
 */
const MAX_CACHED_CHECKS = 1000;

/** `base` with `group: path`, one frozen object per (base, path). */
export function groupTags(base: Tags, path: string): Tags {
  let byPath = withGroup.get(base);
  if (byPath === undefined) {
    byPath = new Map();
    withGroup.set(base, byPath);
  }
  let tags = byPath.get(path);
  if (tags === undefined) {
    tags = Object.freeze({ ...base, group: path });
    byPath.set(path, tags);
  }
  return tags;
}

/** `{ check: name }` (with a call's own tags, when given). */
export function checkNameTags(name: string, extra: Tags | undefined): Tags {
  if (extra !== undefined) return { ...extra, check: name };
  let tags = checkTags.get(name);
  if (tags === undefined) {
    tags = Object.freeze({ check: name });
    if (checkTags.size < MAX_CACHED_CHECKS) checkTags.set(name, tags);
  }
  return tags;
}
