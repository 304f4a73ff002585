/**
 * The world as the MUD runs it, after loading and validation: every reference resolved to a full
 * room id (`zone:room`), every optional field filled with its default. World files (YAML) are
 * described in docs/mud.md; this is what the loader turns them into.
 */
import type { EquipmentSlot } from '../character/equipment-slots.js';

/** Directions an exit may take, in the order exits are listed to players. */
export const DIRECTIONS = [
  'north',
  'south',
  'east',
  'west',
  'northeast',
  'northwest',
  'southeast',
  'southwest',
  'up',
  'down',
  'in',
  'out',
] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** The direction you come from when you walk the other way, for "arrives from the south". */
export const OPPOSITE: Readonly<Record<Direction, Direction>> = {
  north: 'south',
  south: 'north',
  east: 'west',
  west: 'east',
  northeast: 'southwest',
  southwest: 'northeast',
  northwest: 'southeast',
  southeast: 'northwest',
  up: 'down',
  down: 'up',
  in: 'out',
  out: 'in',
};

export interface WorldExit {
  direction: Direction;
  /** Full id of the room it leads to (`zone:room`). */
  to: string;
}

export interface WorldRoom {
  /** Full id, `zone:room`. */
  id: string;
  zone: string;
  title: string;
  description: string;
  exits: WorldExit[];
  /** Item ids placed here when the zone loads (and respawned when taken, see `respawnSec`). */
  items: string[];
  /** Extra things to look at: `examine fountain` answers with the text. Keys are lower case. */
  details: Record<string, string>;
}

export interface WorldItem {
  id: string;
  /** Short name with its article, as it reads in a sentence: "a brass lantern". */
  name: string;
  /** Words a player may use to refer to it; the id is always one of them. */
  keywords: string[];
  description: string;
  /** Whether players can pick it up. @default true */
  takeable: boolean;
  /** Where it is worn or wielded, and what it adds; absent for an item that is only carried. */
  equip?: ItemEquip;
  /** What it is worth, in whole coins; 0 (the default) for what no shop buys. */
  value: number;
}

export interface ItemEquip {
  slot: EquipmentSlot;
  /** Added to the wearer's attack. @default 0 */
  attack: number;
  /** Added to the wearer's armor. @default 0 */
  armor: number;
}

export interface NpcAnswer {
  /** Words that trigger the answer when said in the NPC's room (whole words, case-insensitive). */
  keywords: string[];
  reply: string;
}

export interface WorldNpc {
  id: string;
  name: string;
  keywords: string[];
  description: string;
  /** The zone the NPC belongs to: it spawns and wanders only there. */
  zone: string;
  /** Full id of the room it spawns in. */
  spawn: string;
  /** Wandering: moves through an exit that stays inside its zone. Absent: it stays put. */
  wander?: {
    /** Seconds between attempts to move. */
    everySec: number;
    /** Probability of moving at each attempt, 0..1. @default 1 */
    chance: number;
  };
  /** Said to each player who arrives in its room, where present. */
  greet?: string;
  answers: NpcAnswer[];
  /** A shopkeeper's trade, where it keeps a shop (game/shop-commands.ts). */
  shop?: NpcShop;
  /** How it fights; absent: it cannot be attacked (combat is in docs/mud.md). */
  combat?: NpcCombat;
}

/** What a shopkeeper trades, wherever it stands. */
export interface NpcShop {
  /** Ids of the items it sells, as many as asked for; each has a value of 1 or more. */
  sells: string[];
  /** Whether it buys anything that has a value. @default true */
  buys: boolean;
  /** Its prices are the items' values times this, rounded up; 1 to 10. @default 1 */
  markup: number;
}

export interface NpcCombat {
  level: number;
  /** Most health; it comes back whole when it respawns. */
  health: number;
  attack: number;
  /** @default 0 */
  armor: number;
  /** Experience given to the player whose blow kills it. */
  xp: number;
  /** Attacks players in its room unprovoked. @default false */
  aggressive: boolean;
  /** Seconds from its death to its return to its spawn room. @default 300 */
  respawnSec: number;
  /** At this health or less it tries to run away through an exit of its zone (0: never). @default 0 */
  flee: number;
  /** Item ids left on the floor where it dies. @default [] */
  loot: string[];
}

export interface WorldZone {
  id: string;
  name: string;
  description: string;
  /** The shard this zone prefers, where the world says; the engine's `zoneShards` config wins. */
  shard?: number;
  /** Full ids of the zone's rooms, in file order. */
  rooms: string[];
  /** File the zone came from, for messages. */
  file: string;
}

export interface World {
  name: string;
  /** A welcome text shown after login. */
  motd: string;
  /** Full room ids where new characters appear (the first one unless a game chooses). */
  spawn: string[];
  zones: Map<string, WorldZone>;
  rooms: Map<string, WorldRoom>;
  items: Map<string, WorldItem>;
  npcs: Map<string, WorldNpc>;
  /** Quests, by id, from every zone's `quests` (world/read-quest.ts). */
  quests: Map<string, WorldQuest>;
}

/**
 * A quest: offered by its `giver`, done step by step in order, rewarded when its last step is
 * done (game/quest-progress.ts). A quest that should end back at its giver ends with a `talk` step
 * to the giver.
 */
export interface WorldQuest {
  id: string;
  /** Its name in the journal: "The Eel in the Mire". */
  title: string;
  /** Id of the NPC that offers it (`talk <npc>`), anywhere in the world. */
  giver: string;
  /** What the giver says when offering it. */
  offer: string;
  /** At least one. */
  steps: QuestStep[];
  reward: QuestReward;
  /**
   * Seconds after it is done before its giver offers it again (the zone file's `repeat: 1h`);
   * absent: it is done once.
   */
  repeatSec?: number;
}

/**
 * One step of a quest. `talk`: talk to the NPC. `fetch`: give the NPC the item (`give`, or `talk`
 * carrying it), which the NPC takes. `kill`: share in the death of `count` of that NPC (damage it
 * and be there when it dies, game/combat-experience.ts). `say` is what the NPC answers when its
 * step is done.
 */
export type QuestStep =
  | { kind: 'talk'; npc: string; say?: string }
  | { kind: 'fetch'; item: string; npc: string; say?: string }
  | { kind: 'kill'; npc: string; count: number };

export interface QuestReward {
  /** Experience, through the same levels as fights. @default 0 */
  xp: number;
  /** @default 0 */
  coins: number;
  /** A world item id, given as a new instance. */
  item?: string;
}
