/**
 * Python's `shlex.split(line, comments=True)` (POSIX mode), which Ansible's INI inventory uses
 * for host lines: single quotes are literal, a backslash in double quotes escapes only `"` and
 * `\`, outside quotes it escapes anything, and `#` outside quotes starts a comment, even inside
 * a word. Throws on an unclosed quote (as shlex does: "No closing quotation").
 */
export function shlexSplit(line: string): string[] {
  const tokens: string[] = [];
  let token = '';
  let inToken = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      if (inToken) tokens.push(token);
      token = '';
      inToken = false;
      i++;
    } else if (c === '#') {
      break;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error('No closing quotation');
      token += line.slice(i + 1, end);
      inToken = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new Error('No closing quotation');
        const d = line[i]!;
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) {
          token += line[i + 1];
          i += 2;
        } else {
          token += d;
          i++;
        }
      }
      inToken = true;
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new Error('No escaped character');
      token += line[i + 1];
      inToken = true;
      i += 2;
    } else {
      token += c;
      inToken = true;
      i++;
    }
  }
  if (inToken) tokens.push(token);
  return tokens;
}

/** Quotes a token so that shlexSplit reads it back unchanged (inside double quotes). */
export function shlexQuote(token: string): string {
  return `"${token.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
