import { allowed, type CommandInfo } from '../commands/parse-line.js';

/** A command as help shows it. */
export interface HelpEntry extends CommandInfo {
  readonly usage?: string | undefined;
  readonly help?: string | undefined;
}

/**
 * Help generated from the command definitions: with no topic, one line per visible command
 * (usage and the first sentence of its help); with a topic, the command's usage, aliases and full
 * help. Commands the player's roles do not allow are left out.
 */
export function renderHelp(commands: readonly HelpEntry[], roles: readonly string[], topic?: string): string {
  const visible = commands.filter((c) => allowed(c, roles));
  if (topic) {
    const t = topic.trim().toLowerCase();
    const c =
      visible.find((x) => x.name === t || x.aliases?.includes(t)) ??
      visible.find((x) => x.name.startsWith(t));
    if (!c) return `There is no help on "${topic}". Type "help" for the list of commands.`;
    const lines = [`Usage: ${c.usage ?? c.name}`];
    if (c.aliases && c.aliases.length > 0) lines.push(`Also: ${c.aliases.join(', ')}`);
    if (c.role) lines.push(`Needs the role: ${c.role}`);
    if (c.help) lines.push('', c.help);
    return lines.join('\n');
  }
  const listed = visible.filter((c) => !c.hidden);
  const usages = listed.map((c) => c.usage ?? c.name);
  const width = Math.min(28, Math.max(...usages.map((u) => u.length)));
  // A usage too long for the column gets its own line, so the descriptions stay aligned.
  const rows = listed.map((c, i) => {
    const usage = usages[i]!;
    const about = firstSentence(c.help ?? '');
    return usage.length > width
      ? `  ${usage}\n  ${' '.repeat(width)}  ${about}`
      : `  ${usage.padEnd(width)}  ${about}`;
  });
  return [
    'Commands:',
    ...rows,
    '',
    'Type "help <command>" for more. Short forms work: l, i, n, s, e, w, u, d, inv, exa.',
  ].join('\n');
}

function firstSentence(text: string): string {
  const m = /^.*?[.!?](?=\s|$)/.exec(text);
  return (m ? m[0] : text).split('\n')[0]!;
}
