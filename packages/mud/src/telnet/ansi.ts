/**
 * ANSI colour (ECMA-48 SGR) for line-mode clients. Only the 8 basic colours and bold: every
 * terminal and MUD client shows them, where 256-colour and truecolour support varies.
 */
const ESC = '\u001b[';
export const RESET = `${ESC}0m`;

export const Colour = {
  roomTitle: `${ESC}1;36m`, // bold cyan
  exits: `${ESC}32m`, // green
  say: `${ESC}33m`, // yellow
  emote: `${ESC}33m`,
  tell: `${ESC}35m`, // magenta
  shout: `${ESC}1;33m`, // bold yellow
  broadcast: `${ESC}1;31m`, // bold red
  error: `${ESC}31m`, // red
  system: `${ESC}1m`, // bold
} as const;
export type ColourName = keyof typeof Colour;

/** SGR sequences: what `visibleLength` does not count. */
const SGR = /\u001b\[[0-9;]*m/g;

/** Columns a text takes on screen: its length without colour codes. */
export function visibleLength(text: string): number {
  return text.includes('\u001b') ? text.replace(SGR, '').length : text.length;
}

/** Removes colour codes (for a client that turned colour off after text was coloured, and tests). */
export function stripAnsi(text: string): string {
  return text.replace(SGR, '');
}

/**
 * Colours every line of a text, each reset at its end so no colour bleeds into the next line. A
 * line wrapped later keeps its colour on its continuation (terminals keep SGR state over a newline).
 */
export function paint(text: string, colour: ColourName): string {
  const code = Colour[colour];
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `${code}${line}${RESET}`))
    .join('\n');
}
