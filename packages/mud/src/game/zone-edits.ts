import { join } from 'node:path';
import { CommandError, type GameContext, type Zone } from '@leviathan/engine';
import { parseDocument } from 'yaml';
import { WorldError } from '../errors.js';
import { parseWorld, readWorldSourcesSync } from '../world/load-world.js';
import { isPlainObject } from '../world/schema.js';
import { formatIssue } from '../world/world-issue.js';
import { writeFileAtomic } from '../world/write-atomic.js';
import { ZoneFile } from '../world/zone-file.js';
import { applyZone, type ZoneChange } from './apply-zone.js';
import type { MudRuntime } from './mud-runtime.js';

/** Lines of a loader error shown to a builder; the rest are counted (the log has them all). */
const ERROR_LINES = 8;

/**
 * One change to a running zone through its file, in the order that keeps file and world in step:
 * read every world file from disk, make the edit on this zone's text (none for `reload zone`),
 * load the whole world from those texts exactly as a restart would (so what is refused here
 * would be refused at the next start, and what passes will load), write the zone file
 * atomically, and only then apply the zone to the running world. Anything refused (an invalid
 * world, a failed write) throws a CommandError and leaves the file and the world as they were.
 *
 * The whole world is read, not only the zone, because exits and NPC spawns point across zones,
 * and a room another shard dug since this one started exists only on disk for this shard.
 */
export function changeZone(
  mud: MudRuntime,
  ctx: GameContext,
  zone: Zone,
  edit?: (file: ZoneFile) => void,
): ZoneChange & { file: string } {
  const dir = mud.options.world;
  const def = mud.world.zones.get(zone.id);
  if (!def) throw new CommandError(`Zone ${zone.id} is not part of the world.`);
  const sources = readWorldSourcesSync(dir);
  const source = sources.find((s) => s.file === def.file);
  if (!source) throw new CommandError(`The file of zone ${zone.id} (${def.file}) is gone from ${dir}.`);
  if (edit) {
    const file = new ZoneFile(source.text);
    try {
      edit(file);
    } catch (err) {
      throw new CommandError(`${def.file} cannot be edited: ${(err as Error).message}`);
    }
    source.text = file.text;
  }
  let next: ReturnType<typeof parseWorld>;
  try {
    next = parseWorld(sources, dir);
  } catch (err) {
    if (!(err instanceof WorldError)) throw err;
    throw new CommandError(`Refused, nothing changed: ${describeIssues(err)}`);
  }
  if (!next.zones.get(zone.id) || next.zones.get(zone.id)?.file !== def.file) {
    throw new CommandError(
      `Refused, nothing changed: ${def.file} no longer defines zone "${zone.id}" (a running zone keeps its id; rename it with the server stopped).`,
    );
  }
  if (edit) {
    try {
      writeFileAtomic(join(dir, def.file), source.text);
    } catch (err) {
      ctx.log.error({ err, file: def.file }, 'a builder edit could not be written');
      throw new CommandError(`Refused, nothing changed: ${def.file} could not be written.`);
    }
  }
  const data = parseDocument(source.text).toJS() as unknown;
  const items = isPlainObject(data) && isPlainObject(data.items) ? Object.keys(data.items) : [];
  return { ...applyZone(mud, ctx, zone, next, items), file: def.file };
}

/** The loader's problems, one a line as it writes them (file, key path, message), at most ERROR_LINES. */
function describeIssues(err: WorldError): string {
  if (err.issues.length === 0) return err.message;
  const n = err.issues.length;
  const lines = err.issues.slice(0, ERROR_LINES).map((i) => `  ${formatIssue(i)}`);
  if (n > ERROR_LINES) lines.push(`  … and ${n - ERROR_LINES} more`);
  return `${n} problem${n === 1 ? '' : 's'} in the world files:\n${lines.join('\n')}`;
}
