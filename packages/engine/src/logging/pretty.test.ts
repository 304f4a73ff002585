import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { loadPrettyDestination } from './pretty.js';

describe('log.pretty', () => {
  it('writes each JSON line as a readable one through pino-pretty', () => {
    let text = '';
    const destination = loadPrettyDestination({ write: (t: string) => (text += t) });
    createLogger({ destination, bindings: { thread: 'main' } }).warn({ players: 3 }, 'busy');
    expect(text).toMatch(/WARN.*: busy\n/);
    expect(text).toContain('thread: "main"');
    expect(text).toContain('players: 3');
    expect(text).not.toContain('{"level"');
  });

  it('says to install pino-pretty when it cannot be found', () => {
    // In a clean process: pnpm's NODE_PATH, which vitest runs under, would find it from anywhere.
    const nowhere = join(mkdtempSync(join(tmpdir(), 'lev-no-pretty-')), 'package.json');
    const pretty = new URL('./pretty.ts', import.meta.url).href;
    const script = `import { loadPrettyDestination } from ${JSON.stringify(pretty)};
      try { loadPrettyDestination(process.stdout, [${JSON.stringify(nowhere)}]); console.log('loaded'); }
      catch (e) { console.log(e.name, e.code, e.message); }`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
    });
    expect(out).toMatch(
      /^ConfigInvalidError LEV_ERR_CONFIG_INVALID invalid configuration: log\.pretty: needs the pino-pretty package.*npm install --save-dev pino-pretty/,
    );
  });
});
