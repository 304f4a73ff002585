import { join } from 'node:path';
import { CommandError, type GameContext, type Zone } from '@leviathan/engine';
import { writeFileAtomic } from '../world/write-atomic.js';
import type { ZoneFile } from '../world/zone-file.js';
import { applyZone, type ZoneChange } from './apply-zone.js';
import type { MudRuntime } from './mud-runtime.js';
import { loadZoneFromDisk } from './zone-from-disk.js';
import { tellZoneChanged } from './zone-shards.js';

/**
 * One change to a running zone through its file, in the order that keeps file and world in step:
 * read every world file from disk, make the edit on this zone's text (none for `reload zone`),
 * load the whole world from those texts exactly as a restart would (so what is refused here
 * would be refused at the next start, and what passes will load), tell the other shards
 * (zone-shards.ts: they read the file again for their copy of the zone's definitions), write the
 * zone file atomically, and only then apply the zone to the running world. Anything refused (an
 * invalid world, a channel too busy, a failed write) throws a CommandError and leaves the file
 * and the world as they were.
 *
 * The other shards are told before the write, so that a refusal of the channel refuses the edit
 * whole; they read the file at their next tick, after this one has written it (a message leaves
 * with the tick's state batch), and a write that fails leaves them an unchanged file to read.
 */
export function changeZone(
  mud: MudRuntime,
  ctx: GameContext,
  zone: Zone,
  edit?: (file: ZoneFile) => void,
): ZoneChange & { file: string } {
  const loaded = loadZoneFromDisk(mud, zone.id, edit);
  tellZoneChanged(ctx, zone.id);
  if (edit) {
    try {
      writeFileAtomic(join(mud.options.world, loaded.file), loaded.text);
    } catch (err) {
      ctx.log.error({ err, file: loaded.file }, 'a builder edit could not be written');
      throw new CommandError(`Refused, nothing changed: ${loaded.file} could not be written.`);
    }
  }
  return { ...applyZone(mud, ctx, zone, loaded.next, loaded.fileItems), file: loaded.file };
}
