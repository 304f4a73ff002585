import { describe, expect, it } from 'vitest';
import { WorldInvalidError } from '../errors.js';
import { parseWorld } from './load-world.js';
import { formatIssue } from './world-issue.js';

const WORLD = 'name: Quest World\nspawn: town:square\n';
const TOWN = `id: town
name: The Town
rooms:
  square:
    title: Town Square
    description: A square.
items:
  coin:
    name: a copper coin
    description: Worn thin.
  well:
    name: a stone well
    description: Deep.
    takeable: false
npcs:
  baker:
    name: the baker
    description: Floury.
    spawn: square
  rat:
    name: a rat
    description: Bold.
    spawn: square
    combat: { level: 1, health: 4, attack: 1, xp: 5 }
`;

/** The town with `quests` appended (a YAML mapping, indented as under the zone's root). */
function town(quests: string): Record<string, string> {
  return { 'world.yaml': WORLD, 'zones/town.yaml': `${TOWN}quests:\n${quests}` };
}

function load(files: Record<string, string>) {
  return parseWorld(
    Object.entries(files).map(([file, text]) => ({ file, text })),
    '/w',
  );
}

function issuesOf(files: Record<string, string>): string[] {
  try {
    load(files);
  } catch (err) {
    if (err instanceof WorldInvalidError) return err.issues.map(formatIssue);
    throw err;
  }
  throw new Error('expected the world to be invalid');
}

describe('quests in world files', () => {
  it('reads talk, fetch and kill steps, with their defaults and the rewards', () => {
    const world = load(
      town(`  errands:
    title: Errands
    giver: baker
    offer: |
      The baker sighs.
      "So much to do."
    steps:
      - talk: rat
        say: The rat squeaks.
      - fetch: coin
      - fetch: coin
        to: rat
      - kill: rat
        count: 3
    reward: { xp: 20, coins: 4, item: coin }
  small:
    title: A Small Thing
    giver: baker
    offer: Hello.
    steps: [{ talk: baker }]
`),
    );
    expect(world.quests.get('errands')).toEqual({
      id: 'errands',
      title: 'Errands',
      giver: 'baker',
      offer: 'The baker sighs. "So much to do."',
      steps: [
        { kind: 'talk', npc: 'rat', say: 'The rat squeaks.' },
        { kind: 'fetch', item: 'coin', npc: 'baker' },
        { kind: 'fetch', item: 'coin', npc: 'rat' },
        { kind: 'kill', npc: 'rat', count: 3 },
      ],
      reward: { xp: 20, coins: 4, item: 'coin' },
    });
    // No reward: nothing but the satisfaction.
    expect(world.quests.get('small')?.reward).toEqual({ xp: 0, coins: 0 });
  });

  it('names unknown NPCs and items with the closest id, and what cannot be killed or carried', () => {
    expect(
      issuesOf(
        town(`  bad:
    title: Bad
    giver: bakr
    offer: Hi.
    steps:
      - talk: ratt
      - fetch: coyn
        to: baker
      - fetch: well
      - kill: baker
    reward: { item: cion }
`),
      ),
    ).toEqual([
      'zones/town.yaml: quests.bad.giver: no npc "bakr" (did you mean "baker"?)',
      'zones/town.yaml: quests.bad.steps[0].talk: no npc "ratt" (did you mean "rat"?)',
      'zones/town.yaml: quests.bad.steps[1].fetch: no item "coyn" (did you mean "coin"?)',
      'zones/town.yaml: quests.bad.steps[2].fetch: item "well" cannot be taken (`takeable: false`), so nobody can carry it',
      'zones/town.yaml: quests.bad.steps[3].kill: npc "baker" cannot be fought (it has no `combat`), so it can never be killed',
      'zones/town.yaml: quests.bad.reward.item: no item "cion" (did you mean "coin"?)',
    ]);
  });

  it('refuses malformed steps and rewards, each with its key path', () => {
    expect(
      issuesOf(
        town(`  bad:
    title: Bad
    giver: baker
    offer: Hi.
    ofer: typo
    steps:
      - { talk: baker, kill: rat }
      - { say: hello }
      - { kill: rat, count: 0, say: squeak }
      - { talk: baker, to: rat, count: 2 }
      - just a string
    reward: { xp: -1, coins: 1.5, itme: coin }
  empty:
    title: Empty
    giver: baker
    offer: Hi.
    steps: []
  Bad-Id:
    title: Nope
`),
      ),
    ).toEqual([
      'zones/town.yaml: quests.Bad-Id: "Bad-Id" is not a valid id (lower case letters, digits, - and _)',
      'zones/town.yaml: quests.bad.ofer: unknown key (did you mean "offer"?)',
      'zones/town.yaml: quests.bad.steps[0]: needs exactly one of talk, fetch or kill (has talk and kill)',
      'zones/town.yaml: quests.bad.steps[1]: needs exactly one of talk, fetch or kill',
      'zones/town.yaml: quests.bad.steps[2].say: a kill step has nobody to say it (add a talk step after it)',
      'zones/town.yaml: quests.bad.steps[2].count: must be >= 1',
      'zones/town.yaml: quests.bad.steps[3].to: only a fetch step has `to`',
      'zones/town.yaml: quests.bad.steps[3].count: only a kill step has `count`',
      'zones/town.yaml: quests.bad.steps[4]: expected a mapping, got the string "just a string"',
      'zones/town.yaml: quests.bad.reward.itme: unknown key (did you mean "item"?)',
      'zones/town.yaml: quests.bad.reward.xp: must be >= 0',
      'zones/town.yaml: quests.bad.reward.coins: expected an integer, got 1.5',
      'zones/town.yaml: quests.empty.steps: needs at least one step',
    ]);
  });

  it('reads `repeat` as a duration in seconds, and refuses anything else with what is allowed', () => {
    const quest = (id: string, repeat: string) =>
      `  ${id}:\n    title: ${id}\n    giver: baker\n    offer: Hi.\n    steps: [{ talk: baker }]\n    repeat: ${repeat}\n`;
    const world = load(town(quest('hourly', '1h') + quest('quick', '90s') + quest('weekly', '7d')));
    expect(world.quests.get('hourly')?.repeatSec).toBe(3600);
    expect(world.quests.get('quick')?.repeatSec).toBe(90);
    expect(world.quests.get('weekly')?.repeatSec).toBe(7 * 86_400);
    expect(world.quests.get('hourly')).toMatchObject({ id: 'hourly', steps: [{ kind: 'talk' }] });
    const allowed = 'expected a duration like 30s, 10m, 1h or 2d (from 1s to 365d), got';
    expect(
      issuesOf(
        town(quest('soon', 'soon') + quest('never', '0s') + quest('bare', '60') + quest('long', '400d')),
      ),
    ).toEqual([
      `zones/town.yaml: quests.soon.repeat: ${allowed} "soon"`,
      `zones/town.yaml: quests.never.repeat: ${allowed} "0s"`,
      `zones/town.yaml: quests.bare.repeat: ${allowed} 60`,
      `zones/town.yaml: quests.long.repeat: ${allowed} "400d"`,
    ]);
  });

  it('refuses a quest id used twice, naming the file that has it first', () => {
    const quest = '  errand:\n    title: E\n    giver: baker\n    offer: Hi.\n    steps: [{ talk: baker }]\n';
    const files = town(quest);
    files['zones/woods.yaml'] = `id: woods
name: Woods
rooms:
  path: { title: Path, description: Trees. }
quests:
${quest}`;
    expect(issuesOf(files)).toEqual([
      'zones/woods.yaml: quests.errand: quest "errand" is already defined in zones/town.yaml',
    ]);
  });
});
