/** Where a character is in one quest it has taken on. */
export interface QuestProgress {
  /** Index of the step being done (the quest's `steps`). */
  step: number;
  /** Kills counted towards the current step, when it is a `kill` step; 0 otherwise. */
  kills: number;
}

/**
 * A character's quests, in `character.quests`: plain JSON, saved and carried across shards with
 * the rest of the character. Quests are named by id; a quest the world no longer has is kept
 * (the world may get it back) and shown nowhere.
 */
export interface QuestLog {
  /** Quests taken on and not yet done, by id, in the order they were accepted. */
  active: Record<string, QuestProgress>;
  /**
   * Ids of quests done, in the order first done. A quest is done once, but for a repeatable one
   * (`repeat` in the world), which is listed once however often it is done.
   */
  done: string[];
  /**
   * When each repeatable quest was last done, by id, in ms since the epoch: its giver offers it
   * again once its `repeat` has passed since. Absent in logs saved before repeatable quests.
   */
  lastDone?: Record<string, number>;
}

export function newQuestLog(): QuestLog {
  return { active: {}, done: [] };
}

/**
 * The quest log of a stored character, made whole entry by entry: a save from before quests (no
 * `quests`) gets an empty log, and a malformed entry is dropped rather than the whole log.
 */
export function repairQuestLog(stored: unknown): QuestLog {
  const log = newQuestLog();
  if (!isObject(stored)) return log;
  if (isObject(stored.active)) {
    for (const [id, progress] of Object.entries(stored.active)) {
      if (!isObject(progress)) continue;
      const step = wholeNumber(progress.step);
      if (step === undefined) continue;
      log.active[id] = { step, kills: wholeNumber(progress.kills) ?? 0 };
    }
  }
  if (Array.isArray(stored.done)) {
    for (const id of stored.done) if (typeof id === 'string' && !log.done.includes(id)) log.done.push(id);
  }
  if (isObject(stored.lastDone)) {
    const lastDone: Record<string, number> = {};
    for (const [id, at] of Object.entries(stored.lastDone)) {
      const when = wholeNumber(at);
      if (when !== undefined) lastDone[id] = when;
    }
    if (Object.keys(lastDone).length > 0) log.lastDone = lastDone;
  }
  return log;
}

/** Whether a stored value is a quest log as `repairQuestLog` would leave it. */
export function isQuestLog(value: unknown): value is QuestLog {
  if (!isObject(value) || !isObject(value.active) || !Array.isArray(value.done)) return false;
  if (
    value.lastDone !== undefined &&
    (!isObject(value.lastDone) || !Object.values(value.lastDone).every((at) => wholeNumber(at) !== undefined))
  )
    return false;
  return (
    value.done.every((id) => typeof id === 'string') &&
    Object.values(value.active).every(
      (p) => isObject(p) && wholeNumber(p.step) !== undefined && wholeNumber(p.kills) !== undefined,
    )
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function wholeNumber(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
}
