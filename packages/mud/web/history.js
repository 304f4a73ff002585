// Input history for the command line: up/down walk through earlier commands, like a shell.

/** @param {number} limit how many lines to keep (default 200) */
export function createHistory(limit = 200) {
  /** @type {string[]} */
  const lines = [];
  let cursor = 0;
  let draft = '';
  return {
    /** Records a submitted line (not blanks, not a repeat of the previous one). */
    push(line) {
      if (line.trim() !== '' && lines[lines.length - 1] !== line) {
        lines.push(line);
        if (lines.length > limit) lines.shift();
      }
      cursor = lines.length;
      draft = '';
    },
    /** The line before; `current` is kept as the draft when leaving the bottom. */
    up(current) {
      if (cursor === lines.length) draft = current;
      if (cursor > 0) cursor--;
      return lines[cursor] ?? current;
    },
    down(current) {
      if (cursor >= lines.length) return current;
      cursor++;
      return cursor === lines.length ? draft : lines[cursor];
    },
  };
}
