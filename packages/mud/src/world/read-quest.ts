import { closestWord } from '../commands/did-you-mean.js';
import { MAX_ITEM_VALUE } from './read-npc-shop.js';
import type { Checker } from './schema.js';
import { joinPath } from './world-issue.js';
import type { QuestReward, QuestStep, World, WorldQuest } from './world-types.js';

const ID = /^[a-z][a-z0-9_-]{0,47}$/;

/** Most steps in one quest: a longer chain is a typo or a campaign, and the journal shows one. */
export const MAX_QUEST_STEPS = 20;

/** Most kills one `kill` step may ask for. */
export const MAX_QUEST_KILLS = 100;

/** Most experience one quest may give, as for an NPC's `xp`. */
export const MAX_QUEST_XP = 1_000_000;

/**
 * A name a quest uses, where the quest names it, checked once every NPC and item is known (quests
 * may name what other zones declare). `fights`: the NPC must have `combat` (a kill step);
 * `carried`: the item must be takeable (a fetch step).
 */
export interface QuestRef {
  check: Checker;
  path: string;
  kind: 'npc' | 'item';
  id: string;
  fights?: true;
  carried?: true;
}

/**
 * A zone's quest, `quests.<id>`: `{ title, giver, offer, steps, reward }`. Steps are mappings with
 * one of `talk: <npc>`, `fetch: <item>` (with `to: <npc>`, default the giver) or `kill: <npc>`
 * (with `count`, default 1). The NPC and item ids are returned as refs for `checkQuestRefs`.
 */
export function readQuest(
  c: Checker,
  id: string,
  value: unknown,
  path: string,
): { quest: WorldQuest; refs: QuestRef[] } | undefined {
  const o = c.object(value, path, {
    required: ['title', 'giver', 'offer', 'steps'],
    optional: ['reward', 'repeat'],
  });
  if (!o) return undefined;
  const refs: QuestRef[] = [];
  const ref = (kind: 'npc' | 'item', raw: unknown, at: string, extra: Partial<QuestRef> = {}) => {
    const named = c.string(raw, at, { pattern: ID });
    if (named !== undefined) refs.push({ check: c, path: at, kind, id: named, ...extra });
    return named ?? '';
  };
  const giver = ref('npc', o.giver, joinPath(path, 'giver'));
  const quest: WorldQuest = {
    id,
    title: c.string(o.title, joinPath(path, 'title'), { max: 80 }) ?? id,
    giver,
    offer: c.string(o.offer, joinPath(path, 'offer'), { max: 2000 }) ?? '',
    steps: [],
    reward: { xp: 0, coins: 0 },
  };
  const stepsPath = joinPath(path, 'steps');
  const steps = o.steps === undefined || o.steps === null ? undefined : c.array(o.steps, stepsPath);
  if (steps && steps.length === 0) c.fail(stepsPath, 'needs at least one step');
  if (steps && steps.length > MAX_QUEST_STEPS)
    c.fail(stepsPath, `must have at most ${MAX_QUEST_STEPS} steps (has ${steps.length})`);
  steps?.slice(0, MAX_QUEST_STEPS).forEach((entry, i) => {
    const step = readStep(c, entry, joinPath(stepsPath, i), giver, ref);
    if (step) quest.steps.push(step);
  });
  if (o.reward !== undefined) quest.reward = readReward(c, o.reward, joinPath(path, 'reward'), ref);
  if (o.repeat !== undefined) {
    const repeatSec = readDuration(c, o.repeat, joinPath(path, 'repeat'));
    if (repeatSec !== undefined) quest.repeatSec = repeatSec;
  }
  return { quest, refs };
}

/** Longest wait before a quest is offered again: a year (longer is "once", which is no `repeat`). */
export const MAX_REPEAT_SEC = 365 * 24 * 3600;

const DURATION_UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * A quest's `repeat`, in seconds: a whole number and a unit, `30s`, `10m`, `1h` or `2d`, from one
 * second to a year. Anything else is an issue naming what is allowed.
 */
function readDuration(c: Checker, value: unknown, path: string): number | undefined {
  const text = typeof value === 'string' ? value.trim() : undefined;
  const m = text === undefined ? null : /^(\d{1,9})\s*([smhd])$/.exec(text);
  const seconds = m ? Number(m[1]) * DURATION_UNITS[m[2]!]! : undefined;
  if (seconds === undefined || seconds < 1 || seconds > MAX_REPEAT_SEC) {
    const got = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
    return c.fail(
      path,
      `expected a duration like 30s, 10m, 1h or 2d (from 1s to 365d), got ${got ?? String(value)}`,
    );
  }
  return seconds;
}

type RefReader = (kind: 'npc' | 'item', raw: unknown, at: string, extra?: Partial<QuestRef>) => string;

const STEP_KINDS = ['talk', 'fetch', 'kill'] as const;

function readStep(
  c: Checker,
  value: unknown,
  path: string,
  giver: string,
  ref: RefReader,
): QuestStep | undefined {
  const o = c.object(value, path, { optional: [...STEP_KINDS, 'to', 'count', 'say'] });
  if (!o) return undefined;
  const kinds = STEP_KINDS.filter((k) => o[k] !== undefined);
  if (kinds.length !== 1) {
    c.fail(
      path,
      `needs exactly one of talk, fetch or kill${kinds.length > 1 ? ` (has ${kinds.join(' and ')})` : ''}`,
    );
    return undefined;
  }
  const kind = kinds[0]!;
  if (o.to !== undefined && kind !== 'fetch') c.fail(joinPath(path, 'to'), 'only a fetch step has `to`');
  if (o.count !== undefined && kind !== 'kill')
    c.fail(joinPath(path, 'count'), 'only a kill step has `count`');
  if (o.say !== undefined && kind === 'kill')
    c.fail(joinPath(path, 'say'), 'a kill step has nobody to say it (add a talk step after it)');
  const say =
    o.say === undefined || kind === 'kill'
      ? undefined
      : c.string(o.say, joinPath(path, 'say'), { max: 2000 });
  const withSay = <S extends QuestStep>(step: S): S => (say === undefined ? step : { ...step, say });
  if (kind === 'talk') return withSay({ kind, npc: ref('npc', o.talk, joinPath(path, 'talk')) });
  if (kind === 'fetch') {
    const item = ref('item', o.fetch, joinPath(path, 'fetch'), { carried: true });
    const npc = o.to === undefined ? giver : ref('npc', o.to, joinPath(path, 'to'));
    return withSay({ kind, item, npc });
  }
  const count =
    o.count === undefined
      ? 1
      : (c.number(o.count, joinPath(path, 'count'), { integer: true, min: 1, max: MAX_QUEST_KILLS }) ?? 1);
  return { kind, npc: ref('npc', o.kill, joinPath(path, 'kill'), { fights: true }), count };
}

function readReward(c: Checker, value: unknown, path: string, ref: RefReader): QuestReward {
  const reward: QuestReward = { xp: 0, coins: 0 };
  const o = c.object(value, path, { optional: ['xp', 'coins', 'item'] });
  if (!o) return reward;
  if (o.xp !== undefined)
    reward.xp = c.number(o.xp, joinPath(path, 'xp'), { integer: true, min: 0, max: MAX_QUEST_XP }) ?? 0;
  if (o.coins !== undefined)
    reward.coins =
      c.number(o.coins, joinPath(path, 'coins'), { integer: true, min: 0, max: MAX_ITEM_VALUE }) ?? 0;
  if (o.item !== undefined) {
    const item = ref('item', o.item, joinPath(path, 'item'), { carried: true });
    if (item) reward.item = item;
  }
  return reward;
}

/**
 * Checks what quests name against the whole world: NPCs and items that exist (else the closest
 * id), a kill step's NPC that can be fought, a fetched or rewarded item that can be carried.
 */
export function checkQuestRefs(world: World, refs: readonly QuestRef[]): void {
  for (const r of refs) {
    if (r.kind === 'npc') {
      const npc = world.npcs.get(r.id);
      if (!npc) {
        const hint = closestWord(r.id, world.npcs.keys());
        r.check.fail(r.path, `no npc "${r.id}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
      } else if (r.fights && !npc.combat) {
        r.check.fail(
          r.path,
          `npc "${r.id}" cannot be fought (it has no \`combat\`), so it can never be killed`,
        );
      }
      continue;
    }
    const item = world.items.get(r.id);
    if (!item) {
      // Corpses (`corpse:<npc>`) are items too, but no world file can name one.
      const hint = closestWord(
        r.id,
        [...world.items.keys()].filter((id) => !id.includes(':')),
      );
      r.check.fail(r.path, `no item "${r.id}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
    } else if (r.carried && !item.takeable) {
      r.check.fail(r.path, `item "${r.id}" cannot be taken (\`takeable: false\`), so nobody can carry it`);
    }
  }
}
