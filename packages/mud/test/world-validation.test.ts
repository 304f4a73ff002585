import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorldInvalidError, WorldNotFoundError, WorldSyntaxError } from '../src/errors.js';
import { loadWorld } from '../src/index.js';
import { startMud } from './helpers/mud-server.js';

let dir: string;

async function world(files: Record<string, string>): Promise<string> {
  const d = await mkdtemp(join(dir, 'w-'));
  await mkdir(join(d, 'zones'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(d, name), text);
  return d;
}

const HEAD = 'name: Broken\nspawn: town:square\n';
const TOWN = `id: town
name: Town
rooms:
  square:
    title: Square
    description: A square.
    exits: { north: town:hall, east: nowhere:gate }
npcs:
  crier:
    name: the crier
    description: Loud.
    spawn: square
    wander: { every: 10, chanse: 0.5 }
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lev-world-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('world validation, from files on disk', () => {
  it('lists every problem with its file and key path', async () => {
    const d = await world({ 'world.yaml': HEAD, 'zones/town.yaml': TOWN });
    const err = await loadWorld(d).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorldInvalidError);
    const e = err as WorldInvalidError;
    expect(e.code).toBe('LEV_ERR_WORLD_INVALID');
    expect(e.message).toContain(`in the world at ${d} (3 problems)`);
    expect(e.message).toContain(
      'zones/town.yaml: npcs.crier.wander.chanse: unknown key (did you mean "chance"?)',
    );
    expect(e.message).toContain('zones/town.yaml: rooms.square.exits.north: no room "town:hall"');
    expect(e.message).toContain('zones/town.yaml: rooms.square.exits.east: no zone "nowhere"');
  });

  it('reports YAML errors with the line, and a missing world', async () => {
    const d = await world({ 'world.yaml': HEAD, 'zones/town.yaml': 'id: town\nname: [unclosed\n' });
    const err = (await loadWorld(d).catch((e: unknown) => e)) as WorldSyntaxError;
    expect(err).toBeInstanceOf(WorldSyntaxError);
    expect(err.message).toMatch(/zones\/town\.yaml: line \d+, column \d+: /);
    const missing = await loadWorld(join(dir, 'no-such-world')).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(WorldNotFoundError);
    expect((missing as WorldNotFoundError).code).toBe('LEV_ERR_WORLD_NOT_FOUND');
  });
});

describe('a server given a broken world', () => {
  it('refuses to start, and says which file and key are at fault', async () => {
    const d = await world({ 'world.yaml': HEAD, 'zones/town.yaml': TOWN });
    const err = await startMud({ gameOptions: { world: d } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const chain: string[] = [];
    for (let e: unknown = err; e instanceof Error; e = e.cause) chain.push(e.message);
    expect(chain.join('\n')).toContain('zones/town.yaml: rooms.square.exits.north: no room "town:hall"');
  });
});
