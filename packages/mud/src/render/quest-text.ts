/** A quest in progress as the journal lists it. */
export interface JournalEntry {
  title: string;
  /** The step being done, from 1, and how many there are. */
  step: number;
  steps: number;
  /** What is left to do: "kill a conger eel (0/1)". */
  todo: string;
}

/** `quests`: the quests in progress with their next step, then the titles of those done. */
export function renderJournal(
  active: readonly JournalEntry[],
  done: ReadonlyArray<{ title: string }>,
): string {
  if (active.length === 0 && done.length === 0)
    return 'You have taken on no quest yet. Talk to people ("talk <person>"): some of them need help.';
  const lines: string[] = [];
  lines.push(active.length === 0 ? 'You have no quest in progress.' : 'Quests in progress:');
  for (const q of active) lines.push(`  ${journalLine(q)}`);
  if (done.length > 0) {
    lines.push('Quests done:');
    for (const q of done) lines.push(`  ${q.title}`);
  }
  return lines.join('\n');
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
