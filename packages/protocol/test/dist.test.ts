import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
let consumer: string;

/**
 * The built package, as a consumer gets it: a project with `@leviathan/protocol` in its
 * node_modules, loading it with plain node (no source condition, no TypeScript).
 */
beforeAll(() => {
  // `pnpm test` builds before vitest; a lone `vitest run` builds here when dist is missing. Never
  // rebuild an existing dist: tsup cleans it first, under the feet of other tests that use it.
  if (!existsSync(join(packageDir, 'dist/index.cjs'))) {
    execFileSync('pnpm', ['run', 'build'], { cwd: packageDir, stdio: 'ignore' });
  }
  consumer = mkdtempSync(join(tmpdir(), 'lev-protocol-consumer-'));
  mkdirSync(join(consumer, 'node_modules/@leviathan'), { recursive: true });
  symlinkSync(packageDir, join(consumer, 'node_modules/@leviathan/protocol'), 'dir');
}, 120_000);

afterAll(() => {
  if (consumer) rmSync(consumer, { recursive: true, force: true });
});

const CHECK = `
const seed = '{"type":"auth","username":"player1","token":"test-token"}';
const [msg] = p.decodeFrame(seed);
const neg = p.negotiate(msg);
const errs = p.decodeFrame('{"type":"cmd"}');
const reply = JSON.parse(p.encodeMessage({ type: 'auth-ok', version: neg.version, username: msg.username,
  session: 's', capabilities: neg.capabilities, serverTime: 0 }));
console.log(JSON.stringify({
  type: msg.type, version: neg.version, error: errs[0] instanceof p.ProtocolError && errs[0].code,
  username: msg.username, reply: reply.type, close: p.CloseCode.UnsupportedVersion,
}));
`;
const EXPECTED = {
  type: 'auth',
  version: 1,
  error: 'LEV_ERR_PROTOCOL_MISSING_FIELD',
  username: 'player1',
  reply: 'auth-ok',
  close: 4008,
};

function run(file: string, source: string): unknown {
  writeFileSync(join(consumer, file), source);
  const out = execFileSync(process.execPath, [join(consumer, file)], { cwd: consumer, encoding: 'utf8' });
  return JSON.parse(out);
}

describe('the built package', () => {
  it('works with require()', () => {
    const source = `const p = require('@leviathan/protocol');\n${CHECK}`;
    expect(run('check.cjs', source)).toEqual(EXPECTED);
  });

  it('works with import', () => {
    const source = `import * as p from '@leviathan/protocol';\n${CHECK}`;
    expect(run('check.mjs', source)).toEqual(EXPECTED);
  });

  it('ships type declarations for both module systems', () => {
    for (const file of ['index.d.ts', 'index.d.cts']) {
      expect(existsSync(join(packageDir, 'dist', file)), file).toBe(true);
    }
  });
});
