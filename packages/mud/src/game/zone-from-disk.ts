import { CommandError } from '@leviathan/engine';
import { parseDocument } from 'yaml';
import { WorldError } from '../errors.js';
import { parseWorld, readWorldSourcesSync } from '../world/load-world.js';
import { isPlainObject } from '../world/schema.js';
import { formatIssue } from '../world/world-issue.js';
import type { World } from '../world/world-types.js';
import { ZoneFile } from '../world/zone-file.js';
import type { MudRuntime } from './mud-runtime.js';

/** Lines of a loader error shown to a builder; the rest are counted (the log has them all). */
const ERROR_LINES = 8;

/** A zone as the world files on disk define it (after `edit`, if any), loaded with all the others. */
export interface LoadedZone {
  /** The whole world, loaded from the files as a restart would. */
  next: World;
  /** The zone's file, relative to the world directory. */
  file: string;
  /** The zone file's text (edited). */
  text: string;
  /** Ids of the items written in the zone's file. */
  fileItems: string[];
}

/**
 * Reads every world file from disk, makes `edit` on the zone's text, and loads the whole world
 * from those texts with the loader's checks. The whole world is read, not only the zone, because
 * exits and NPC spawns point across zones, and a room another shard dug since this one started
 * may exist only on disk. Throws a CommandError with the loader's words when the world does not
 * load, or the file no longer defines the zone.
 */
export function loadZoneFromDisk(
  mud: MudRuntime,
  zoneId: string,
  edit?: (file: ZoneFile) => void,
): LoadedZone {
  const dir = mud.options.world;
  const def = mud.world.zones.get(zoneId);
  if (!def) throw new CommandError(`Zone ${zoneId} is not part of the world.`);
  const sources = readWorldSourcesSync(dir);
  const source = sources.find((s) => s.file === def.file);
  if (!source) throw new CommandError(`The file of zone ${zoneId} (${def.file}) is gone from ${dir}.`);
  if (edit) {
    const file = new ZoneFile(source.text);
    try {
      edit(file);
    } catch (err) {
      throw new CommandError(`${def.file} cannot be edited: ${(err as Error).message}`);
    }
    source.text = file.text;
  }
  let next: World;
  try {
    next = parseWorld(sources, dir);
  } catch (err) {
    if (!(err instanceof WorldError)) throw err;
    throw new CommandError(`Refused, nothing changed: ${describeIssues(err)}`);
  }
  if (next.zones.get(zoneId)?.file !== def.file) {
    throw new CommandError(
      `Refused, nothing changed: ${def.file} no longer defines zone "${zoneId}" (a running zone keeps its id; rename it with the server stopped).`,
    );
  }
  const data = parseDocument(source.text).toJS() as unknown;
  const fileItems = isPlainObject(data) && isPlainObject(data.items) ? Object.keys(data.items) : [];
  return { next, file: def.file, text: source.text, fileItems };
}

/** The loader's problems, one a line as it writes them (file, key path, message), at most ERROR_LINES. */
function describeIssues(err: WorldError): string {
  if (err.issues.length === 0) return err.message;
  const n = err.issues.length;
  const lines = err.issues.slice(0, ERROR_LINES).map((i) => `  ${formatIssue(i)}`);
  if (n > ERROR_LINES) lines.push(`  … and ${n - ERROR_LINES} more`);
  return `${n} problem${n === 1 ? '' : 's'} in the world files:\n${lines.join('\n')}`;
}
