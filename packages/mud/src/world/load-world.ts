import { readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { WorldNotFoundError, WorldSyntaxError } from '../errors.js';
import { WorldBuilder } from './world-builder.js';
import type { WorldIssue } from './world-issue.js';
import type { World } from './world-types.js';

/** A world file's name (relative to the world directory) and its text. */
export interface WorldSource {
  file: string;
  text: string;
}

const WORLD_FILE = 'world.yaml';

/**
 * Loads a world directory: `world.yaml` and every `zones/*.yaml`, in name order. Throws
 * WorldNotFoundError, WorldSyntaxError or WorldInvalidError; the last two list every problem
 * found, each with the file and key path.
 */
export async function loadWorld(dir: string): Promise<World> {
  let worldText: string;
  try {
    worldText = await readFile(join(dir, WORLD_FILE), 'utf8');
  } catch (err) {
    throw new WorldNotFoundError(dir, { cause: err });
  }
  const sources: WorldSource[] = [{ file: WORLD_FILE, text: worldText }];
  let names: string[] = [];
  try {
    names = zoneFiles(await readdir(join(dir, 'zones')));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new WorldNotFoundError(dir, { cause: err });
  }
  for (const name of names) {
    sources.push({ file: `zones/${name}`, text: await readFile(join(dir, 'zones', name), 'utf8') });
  }
  return parseWorld(sources, dir);
}

/**
 * `loadWorld` without a promise, for a game module that must return its definition synchronously
 * (each shard worker loads the world once, at start, before its first tick).
 */
export function loadWorldSync(dir: string): World {
  return parseWorld(readWorldSourcesSync(dir), dir);
}

/** The texts of a world directory's files, read synchronously, in the order `parseWorld` wants. */
export function readWorldSourcesSync(dir: string): WorldSource[] {
  let worldText: string;
  try {
    worldText = readFileSync(join(dir, WORLD_FILE), 'utf8');
  } catch (err) {
    throw new WorldNotFoundError(dir, { cause: err });
  }
  const sources: WorldSource[] = [{ file: WORLD_FILE, text: worldText }];
  let names: string[] = [];
  try {
    names = zoneFiles(readdirSync(join(dir, 'zones')));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new WorldNotFoundError(dir, { cause: err });
  }
  for (const name of names) {
    sources.push({ file: `zones/${name}`, text: readFileSync(join(dir, 'zones', name), 'utf8') });
  }
  return sources;
}

function zoneFiles(names: string[]): string[] {
  return names.filter((n) => /\.ya?ml$/.test(n)).sort();
}

/**
 * Builds a world from its files' texts (the first must be `world.yaml`; the rest are zones).
 * Pure: no file system, so tests and embedders can build worlds in memory.
 */
export function parseWorld(sources: readonly WorldSource[], dir = '<memory>'): World {
  const syntax: WorldIssue[] = [];
  const parsed: Array<{ file: string; data: unknown }> = [];
  for (const { file, text } of sources) {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const at = e.pos[0] !== undefined ? lines.linePos(e.pos[0]) : undefined;
        syntax.push({
          file,
          path: '',
          message: `${at ? `line ${at.line}, column ${at.col}: ` : ''}${firstLine(e.message)}`,
        });
      }
      continue;
    }
    parsed.push({ file, data: doc.toJS({ maxAliasCount: 100 }) });
  }
  if (syntax.length > 0) throw new WorldSyntaxError(dir, syntax);
  const builder = new WorldBuilder();
  const [head, ...zones] = parsed;
  if (!head || sources[0]?.file !== WORLD_FILE) throw new WorldNotFoundError(dir);
  builder.readWorldFile(head.file, head.data);
  for (const z of zones) builder.readZoneFile(z.file, z.data);
  return builder.finish(dir);
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
