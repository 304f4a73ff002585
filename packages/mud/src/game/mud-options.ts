import { isAbsolute, resolve } from 'node:path';
import type { JsonValue } from '@leviathan/protocol';
import { isPlainObject } from '../world/schema.js';

/** The MUD's `gameOptions`. */
export interface MudOptions {
  /** The world directory (holding `world.yaml` and `zones/`), relative to the working directory. */
  world: string;
  /**
   * Seconds without a command before a player is warned that they will be logged out.
   * @default 900
   */
  idleWarnSec: number;
  /**
   * Seconds without a command before an idle player is logged out (0: never).
   * @default 1200
   */
  idleLogoutSec: number;
  /**
   * Seconds before an item taken from the room where the world places it appears there again.
   * @default 120
   */
  respawnSec: number;
  /**
   * Seconds between rounds of every fight (each side swings once a round).
   * @default 2
   */
  combatRoundSec: number;
  /**
   * Seconds between pulses of healing out of combat (a tenth of health and energy each).
   * @default 6
   */
  regenSec: number;
  /**
   * Seconds a dead NPC's corpse lies where it fell.
   * @default 120
   */
  corpseDecaySec: number;
  /**
   * Seed of the fights' random source, so fights repeat exactly (tests); unset: Math.random.
   */
  combatSeed?: number;
  /**
   * The role that may use admin commands (teleport, broadcast, shutdown).
   * @default 'admin'
   */
  adminRole: string;
  /**
   * The role that may build in the game (dig, link, unlink, describe, retitle, place, reload),
   * which writes the world's zone files.
   * @default 'builder'
   */
  builderRole: string;
  /**
   * TCP port of the telnet bridge for line-mode telnet and MUD clients (and JSON-lines bots),
   * started and stopped with the server on its `host`; 0 picks a free port; unset: no telnet.
   */
  telnetPort?: number;
  /** The telnet greeting. @default '<world name>: a Leviathan MUD.' */
  telnetBanner?: string;
}

const DEFAULTS: Omit<MudOptions, 'world'> = {
  idleWarnSec: 900,
  idleLogoutSec: 1200,
  respawnSec: 120,
  combatRoundSec: 2,
  regenSec: 6,
  corpseDecaySec: 120,
  adminRole: 'admin',
  builderRole: 'builder',
};

/** Reads `gameOptions` for the MUD; throws a TypeError naming the option at fault. */
export function parseMudOptions(raw: JsonValue | undefined, cwd = process.cwd()): MudOptions {
  const o = raw === undefined || raw === null ? {} : raw;
  if (!isPlainObject(o))
    throw new TypeError('gameOptions for the mud must be an object such as {"world": "./world"}');
  const known = ['world', ...Object.keys(DEFAULTS), 'telnetPort', 'telnetBanner', 'combatSeed'];
  for (const key of Object.keys(o)) {
    if (!known.includes(key))
      throw new TypeError(`gameOptions.${key}: unknown option (known: ${known.join(', ')})`);
  }
  const world = o.world ?? process.env.LEVIATHAN_MUD_WORLD;
  if (typeof world !== 'string' || world.length === 0) {
    throw new TypeError(
      'gameOptions.world: the world directory is required, e.g. {"world": "examples/mud/world"}',
    );
  }
  const out: MudOptions = { ...DEFAULTS, world: isAbsolute(world) ? world : resolve(cwd, world) };
  for (const key of [
    'idleWarnSec',
    'idleLogoutSec',
    'respawnSec',
    'combatRoundSec',
    'regenSec',
    'corpseDecaySec',
  ] as const) {
    const v = o[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new TypeError(`gameOptions.${key}: expected a number >= 0`);
    out[key] = v;
  }
  if (o.combatSeed !== undefined) {
    if (typeof o.combatSeed !== 'number' || !Number.isInteger(o.combatSeed))
      throw new TypeError('gameOptions.combatSeed: expected an integer');
    out.combatSeed = o.combatSeed;
  }
  if (o.adminRole !== undefined) {
    if (typeof o.adminRole !== 'string' || o.adminRole.length === 0)
      throw new TypeError('gameOptions.adminRole: expected a role name');
    out.adminRole = o.adminRole;
  }
  if (o.builderRole !== undefined) {
    if (typeof o.builderRole !== 'string' || o.builderRole.length === 0)
      throw new TypeError('gameOptions.builderRole: expected a role name');
    out.builderRole = o.builderRole;
  }
  if (o.telnetPort !== undefined) {
    const port = o.telnetPort;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535)
      throw new TypeError('gameOptions.telnetPort: expected a TCP port (0 to 65535; 0 picks a free one)');
    out.telnetPort = port;
  }
  if (o.telnetBanner !== undefined) {
    if (typeof o.telnetBanner !== 'string')
      throw new TypeError('gameOptions.telnetBanner: expected a string');
    out.telnetBanner = o.telnetBanner;
  }
  return out;
}
