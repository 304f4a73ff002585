import { formatDuration } from './who-text.js';

/** A quest in progress as the journal lists it. */
export interface JournalEntry {
  title: string;
  /** The step being done, from 1, and how many there are. */
  step: number;
  steps: number;
  /** What is left to do: "kill a conger eel (0/1)". */
  todo: string;
}

/** A quest done, as the journal lists it (a type, not an interface: it goes out as JSON data). */
export type DoneEntry = {
  id: string;
  title: string;
  /** A repeatable quest: when it was last done (ms since the epoch), if that was kept. */
  lastDone?: number;
  /** A repeatable quest: seconds until its giver offers it again (0: now). */
  againInSec?: number;
};

/**
 * `quests`: the quests in progress with their next step, then the titles of those done; a
 * repeatable one says when it was last done and when it is offered again.
 */
export function renderJournal(
  active: readonly JournalEntry[],
  done: readonly DoneEntry[],
  now: number,
): string {
  if (active.length === 0 && done.length === 0)
    return 'You have taken on no quest yet. Talk to people ("talk <person>"): some of them need help.';
  const lines: string[] = [];
  lines.push(active.length === 0 ? 'You have no quest in progress.' : 'Quests in progress:');
  for (const q of active) lines.push(`  ${journalLine(q)}`);
  if (done.length > 0) {
    lines.push('Quests done:');
    for (const q of done) lines.push(`  ${q.title}${repeatNote(q, now)}`);
  }
  return lines.join('\n');
}

/** " (done 5m ago; offered again in 55m)" for a repeatable quest; nothing for the others. */
function repeatNote(q: DoneEntry, now: number): string {
  if (q.againInSec === undefined) return '';
  const again = q.againInSec > 0 ? `offered again in ${formatDuration(q.againInSec)}` : 'offered again now';
  // Done before the world made it repeatable: no time was kept.
  if (q.lastDone === undefined) return ` (${again})`;
  return ` (done ${formatDuration((now - q.lastDone) / 1000)} ago; ${again})`;
}

/** One quest in progress, on one line: "The Conger in the Mire (step 1 of 2): kill a conger eel (0/1).". */
export function journalLine(q: JournalEntry): string {
  const of = q.steps > 1 ? ` (step ${q.step} of ${q.steps})` : '';
  return `${q.title}${of}: ${q.todo}.`;
}

/** `score`'s quest lines: each quest in progress on its line, then how many are done. */
export function renderScoreQuests(active: readonly JournalEntry[], done: number): string[] {
  const lines =
    active.length === 0
      ? ['  No quest in progress.']
      : ['  Quests in progress:', ...active.map((q) => `    ${journalLine(q)}`)];
  lines.push(`  Quests done: ${done}`);
  return lines;
}
